import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AdminApp } from './admin/AdminApp';
import { BookingPage } from './customer/BookingPage';
import { FeedbackPage } from './customer/FeedbackPage';
import { AccountApp } from './customer/account/AccountApp';
import { ManagePage } from './customer/ManagePage';
import './styles.css';

function App() {
  return (
    <Routes>
      <Route path="/admin/*" element={<AdminApp />} />
      <Route path="/book" element={<BookingPage />} />
      <Route path="/book/:slug" element={<BookingPage />} />
      <Route path="/manage/:token/*" element={<ManagePage />} />
      <Route path="/feedback/:id" element={<FeedbackPage />} />
      <Route path="/account/*" element={<AccountApp />} />
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
