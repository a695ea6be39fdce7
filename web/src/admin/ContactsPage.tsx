/** Contacts: search by name, email or phone; each links to its history. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useLoad } from '../useLoad';
import { Problem } from './Problem';

export function ContactsPage() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const { data, error } = useLoad<{
    contacts: Array<{ id: string; name: string; email: string; phone: string | null }>;
  }>(`/api/admin/contacts${search ? `?q=${encodeURIComponent(search)}` : ''}`, 'Contacts');
  return (
    <>
      <h1>Contacts</h1>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q);
        }}
      >
        <label htmlFor="contact-q">Search by name, email or phone</label>
        <input id="contact-q" value={q} onChange={(e) => setQ(e.target.value)} style={{ maxWidth: '20rem' }} />
        <button type="submit">Search</button>
      </form>
      <Problem error={error} />
      <ul>
        {data?.contacts.map((c) => (
          <li key={c.id}>
            <Link to={`/admin/contacts/${c.id}`}>{c.name}</Link> — {c.email}
            {c.phone ? ` · ${c.phone}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
