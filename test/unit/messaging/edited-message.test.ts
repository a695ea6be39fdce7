/**
 * The staff-edited reschedule message: sent as written (never compiled as a template), `{manage-link}`
 * filled in, HTML escaped, SMS on GSM-7 and counted with a manage link of the real length.
 */
import {
  MANAGE_LINK_PLACEHOLDER,
  editedEmail,
  editedSms,
  editedSmsSeptets,
  fitsTwoSegments,
  withPublicNote,
} from '../../../src/messaging/edited-message';

const link = 'https://book.example.com/manage/abc';

describe('edited reschedule message', () => {
  it('sends the email as written: the link filled in, HTML escaped and linked, no template syntax run', () => {
    const email = editedEmail(
      {
        subject: 'Moved:\n <Friday>',
        body: `Hi {{contact.name}} & co,\r\n\r\nSee you Friday.\nManage: ${MANAGE_LINK_PLACEHOLDER}`,
      },
      link,
    );
    expect(email.subject).toBe('Moved: <Friday>');
    expect(email.text).toBe(`Hi {{contact.name}} & co,\n\nSee you Friday.\nManage: ${link}\n`);
    expect(email.html).toContain('<p style="margin:0 0 16px;">Hi {{contact.name}} &amp; co,</p>');
    expect(email.html).toContain(`See you Friday.<br>Manage: <a href="${link}" style="color:#1a5fb4;">${link}</a>`);
    expect(email.html).toContain('<title>Moved: &lt;Friday&gt;</title>');
  });

  it('maps the SMS onto GSM-7 and counts it with a link as long as a real one', () => {
    expect(editedSms(`Moved to Friday \u2014 see ${MANAGE_LINK_PLACEHOLDER} \u{1F44D}`, link)).toBe(
      `Moved to Friday - see ${link}`,
    );
    const base = 'https://book.example.com';
    const realLink = `${base}/manage/${'x'.repeat(43)}`;
    const sms = `Moved. ${MANAGE_LINK_PLACEHOLDER}`;
    expect(editedSmsSeptets(sms, base)).toBe(`Moved. ${realLink}`.length);
    const justFits = 'a'.repeat(306 - realLink.length - 1) + ' ' + MANAGE_LINK_PLACEHOLDER;
    expect(fitsTwoSegments(editedSmsSeptets(justFits, base))).toBe(true);
    expect(fitsTwoSegments(editedSmsSeptets(`a${justFits}`, base))).toBe(false);
    expect(editedSmsSeptets('{}', base)).toBe(4); // extension characters count two
  });

  it('adds the staff note to the public notes, and leaves them alone without one', () => {
    expect(withPublicNote('Arrive early.', 'Use the side door.')).toBe('Arrive early.\n\nUse the side door.');
    expect(withPublicNote('', ' Use the side door. ')).toBe('Use the side door.');
    expect(withPublicNote(' as stored ', undefined)).toBe(' as stored ');
  });
});
