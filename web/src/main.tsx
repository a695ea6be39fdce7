import { WaitlistOfferPage } from './customer/WaitlistOfferPage';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Outlet, Route, Routes } from 'react-router-dom';
import { BookingPage } from './customer/BookingPage';
import { BusinessProvider } from './customer/business';
import { I18nProvider } from './i18n';
import './styles.css';
import './customer/customer.css';

/** A route's chunk, fetched at most once; the current route's starts loading before React renders. */
function chunk<M>(load: () => Promise<M>, path: string): () => Promise<M> {
  let loading: Promise<M> | undefined;
  const get = () => (loading ??= load());
  if (window.location.pathname.startsWith(path)) void get();
  return get;
}

// The admin app is its own chunk: customers' phones never download it; each customer page beyond
// booking is its own small chunk too.
const adminChunk = chunk(() => import('./admin/AdminApp'), '/admin');
const manageChunk = chunk(() => import('./customer/ManagePage'), '/manage/');
const feedbackChunk = chunk(() => import('./customer/FeedbackPage'), '/feedback/');
const planChunk = chunk(() => import('./customer/MembershipPlanPage'), '/memberships/');
const accountChunk = chunk(() => import('./customer/account/AccountApp'), '/account');
const AdminApp = lazy(() => adminChunk().then((m) => ({ default: m.AdminApp })));
const ManagePage = lazy(() => manageChunk().then((m) => ({ default: m.ManagePage })));
const FeedbackPage = lazy(() => feedbackChunk().then((m) => ({ default: m.FeedbackPage })));
const AccountApp = lazy(() => accountChunk().then((m) => ({ default: m.AccountApp })));
const MembershipPlanPage = lazy(() => planChunk().then((m) => ({ default: m.MembershipPlanPage })));

/** Customer pages: in the customer's language, with the business's identity. */
function CustomerPages() {
  return (
    <I18nProvider>
      <BusinessProvider>
        <Suspense fallback={null}>
          <Outlet />
        </Suspense>
      </BusinessProvider>
    </I18nProvider>
  );
}

function App() {
  return (
    <Routes>
      <Route
        path="/admin/*"
        element={
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <AdminApp />
          </Suspense>
        }
      />
      <Route element={<CustomerPages />}>
        <Route path="/book" element={<BookingPage />} />
        <Route path="/book/:slug" element={<BookingPage />} />
        <Route path="/embed/book" element={<BookingPage embedded />} />
        <Route path="/embed/book/:slug" element={<BookingPage embedded />} />
        <Route path="/manage/:token/*" element={<ManagePage />} />
        <Route path="/memberships/plans/:planId" element={<MembershipPlanPage />} />
        <Route path="/feedback/:id" element={<FeedbackPage />} />
        <Route path="/waitlist/offer/:token" element={<WaitlistOfferPage />} />
        <Route path="/account/*" element={<AccountApp />} />
      </Route>
      <Route path="*" element={<Navigate to="/admin" replace />} />
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
