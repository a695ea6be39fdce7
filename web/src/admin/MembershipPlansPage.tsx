/** Settings → Membership plans (office roles): every plan with its terms and what it sold; links to the editor. */
import { Link } from 'react-router-dom';
import { formatMoney } from '../format';
import { useLoad } from '../useLoad';
import { type Plan, servicesText, visitsText } from './plan-form';
import { SettingsNav } from './SettingsNav';

export function MembershipPlansPage() {
  const { data, error } = useLoad<{ plans: Plan[] }>('/api/admin/membership-plans', 'Membership plans');
  const plans = data?.plans ?? null;
  return (
    <>
      <h1>Membership plans</h1>
      <SettingsNav />
      <p className="hint">
        A new name or price applies to new purchases; memberships already sold keep the name and price they were sold
        with. Once a plan has sold a membership its visits, validity, services and policy are fixed — create a new plan
        to sell different terms, and retire the old one.
      </p>
      <p>
        <Link to="/admin/settings/membership-plans/new">New membership plan</Link>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!plans && !error && <p>Loading…</p>}
      {plans && plans.length === 0 && <p>No membership plans yet.</p>}
      {plans && plans.length > 0 && (
        <table>
          <caption>Membership plans</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Visits</th>
              <th scope="col">Valid for</th>
              <th scope="col">Price</th>
              <th scope="col">Covers</th>
              <th scope="col">Sold</th>
              <th scope="col">Active</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/admin/settings/membership-plans/${p.id}`}>{p.name}</Link>
                </td>
                <td>{visitsText(p)}</td>
                <td>{p.validityDays} days</td>
                <td>{formatMoney(p.priceMinor, p.currency)}</td>
                <td>{servicesText(p)}</td>
                <td>{p.memberships.sold}</td>
                <td>{p.memberships.active}</td>
                <td>{p.active ? 'for sale' : 'retired'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
