/**
 * Customer messages in English (i18next resources for src/messaging/customer-text.ts). `<b>…</b>` is
 * emphasised in the HTML email; {{withStaff}} is " with <name>" or empty.
 */
export const en = {
  greeting: 'Hi {{first}},',
  there: 'there',
  withStaff: ' with {{staff}}',
  duration: {
    minutes_one: '{{count}} minute',
    minutes_other: '{{count}} minutes',
    hours_one: '{{count}} hour',
    hours_other: '{{count}} hours',
    both: '{{hours}} {{minutes}}',
  },
  details: {
    previousTime: 'Previous time',
    newTime: 'New time',
    when: 'When',
    service: 'Service',
    duration: 'Duration',
    until: '{{duration}} (until {{end}})',
    with: 'With',
    where: 'Where',
    notesFrom: 'Notes from {{business}}',
    yourNote: 'Your note',
    reason: 'Reason',
  },
  manage: {
    intro: 'Need to change your plans? You can reschedule or cancel online:',
    button: 'Reschedule or cancel',
  },
  files: {
    label: 'Before your visit, please send us',
    button: 'Send files',
    how: 'Send them in your account, in our conversation about this appointment (photos or PDF, up to 10 MB each):',
  },
  report: {
    heading: 'Service report',
    summary: 'What we did',
    nextSteps: 'Next steps',
    photos: 'Photos: {{names}}',
    account: 'See them in your account',
  },
  slots: {
    intro: 'Here are a few open times (tap one to book it):',
    more: 'None of these work? See every available time:',
    pick: 'Pick a time that suits you:',
    book: 'Book an appointment',
    waitlist: "No time that suits? Join the waitlist and we'll offer you the first one that opens up:",
    waitlistButton: 'Join the waitlist',
  },
  footer: {
    callEmail: 'Questions? Call {{name}} at {{phone}} or email {{email}}.',
    call: 'Questions? Call {{name}} at {{phone}}.',
    email: 'Questions? Email {{name}} at {{email}}.',
  },
  email: {
    confirmation: {
      subject: 'Confirmed: {{service}} on {{when}}',
      intro: 'Your appointment with {{business}} is confirmed.',
      ics: 'A calendar invitation (.ics) is attached so you can add this appointment to your calendar.',
      series: 'Visit {{index}} of {{count}} in your series ({{rule}}).',
      cancellationLate:
        '<b>Cancellation policy:</b> cancelling less than {{hours}} hours before the start costs {{fee}}.',
      cancellationNoShow: 'Missing the appointment without cancelling costs {{fee}}.',
      deposit:
        '<b>Deposit paid: {{deposit}}.</b> It is credited on your invoice; the rest ({{rest}}) is charged after your visit.',
      depositPolicy:
        'Cancel in time and the deposit is refunded in full; a late cancel or a missed appointment keeps it against the fee.',
      depositRefundable: 'If you cancel, the deposit is refunded in full.',
    },
    reminder48h: {
      subject: 'Reminder: {{service}} on {{when}}',
      intro: 'This is a reminder that your {{service}}{{withStaff}} is coming up on <b>{{day}} at {{time}}</b>.',
    },
    reminder12h: {
      subject: 'Coming up at {{time}}: {{service}} ({{day}})',
      intro: 'Your {{service}}{{withStaff}} is coming up soon, at <b>{{time}}</b> on {{day}}.',
    },
    rescheduled: {
      subject: 'Rescheduled: {{service}} now on {{when}}',
      moved: 'Your {{service}}{{withStaff}} has been moved from <b>{{from}}</b> to <b>{{to}}</b>.',
      movedTo: 'Your {{service}}{{withStaff}} has been moved to <b>{{to}}</b>.',
    },
    cancelled: {
      subject: 'Cancelled: {{service}} on {{when}}',
      intro: "Your {{service}}{{withStaff}} on <b>{{when}}</b> has been cancelled. You don't need to do anything else.",
      again: "We'd love to see you another time. You can book a new appointment here:",
      button: 'Book a new appointment',
      depositRefunded: 'Your deposit of {{amount}} is refunded to your card (it may take a few days to appear).',
      depositKept: '{{kept}} of your deposit is kept against the cancellation fee.',
    },
    rebookFollowUp: {
      subject: 'Book your next {{service}} with {{business}}',
      intro: 'Ready to book your next {{service}} with {{business}}?',
    },
    bookAgain: {
      subject: 'Time for your next {{service}}?',
      intro: 'Your last {{service}}{{withStaff}} was on <b>{{day}}</b>. Ready to book the next one?',
    },
    rescheduleRequest: {
      subject: 'Please choose a new time for your {{service}} on {{day}}',
      intro: "We're sorry: {{who}} can no longer make your {{service}} on <b>{{when}}</b>. Please choose a new time.",
      open: 'These times are open:',
      button: 'Choose a new time',
    },
    noShowPrompt: {
      subject: 'We missed you at your {{service}} on {{day}}',
      intro:
        "We missed you at your {{service}}{{withStaff}} on {{when}}. We hope everything is okay - things come up, and we'd be glad to find you a new time.",
    },
    receipt: {
      subject: 'Receipt: {{total}} for {{service}} (invoice #{{invoice}})',
      subjectTest: 'Test receipt: {{total}} for {{service}} (invoice #{{invoice}})',
      intro: 'Thank you! We received your payment of <b>{{total}}</b> for your {{service}}{{withStaff}} on {{when}}.',
      feeIntro:
        'Thank you! We received your payment of <b>{{total}}</b>, the {{fee}} for your {{service}}{{withStaff}} on {{when}}, under our cancellation policy.',
      invoice: 'Invoice',
      amountPaid: 'Amount paid',
      deposit: 'Of which the deposit paid at booking',
      paidWith: 'Paid with',
      view: 'You can view and download your invoice here:',
      button: 'View invoice',
    },
    paymentDeclined: {
      subject: 'Your payment of {{total}} to {{business}} did not go through',
      intro:
        'We tried to charge <b>{{total}}</b>{{card}} for your {{service}} on {{when}} (invoice #{{invoice}}), but the payment did not go through.',
      card: ' to your {{card}}',
      retry:
        "We'll try again on <b>{{when}}</b>. To make sure it goes through, please update your card before then, or try again with another card now:",
      update: 'Please update your card and try again:',
      button: 'Update your card',
    },
    paymentActionRequired: {
      subject: 'Please confirm your payment of {{total}} to {{business}}',
      intro:
        'Your bank has asked you to confirm the payment of <b>{{total}}</b> for your {{service}} on {{when}} (invoice #{{invoice}}). This is a routine security check and only takes a moment:',
      button: 'Confirm payment',
    },
    paymentLink: {
      subject: 'Your invoice #{{invoice}} from {{business}}: {{total}}',
      intro:
        'Thank you for your visit on {{when}}. Your invoice comes to <b>{{total}}</b>. You can pay it online by card or wallet:',
      feeIntro:
        'Under our cancellation policy, the {{fee}} for your {{service}} on {{when}} comes to <b>{{total}}</b>. You can pay it online by card or wallet:',
      button: 'Pay online',
    },
    feedbackRequest: {
      subject: 'How was your {{service}}?',
      intro: 'Thank you for choosing {{business}} for your {{service}}{{withStaff}} on {{when}}.',
      ask: "We'd love to hear how it went. It only takes a minute:",
      button: 'Share your feedback',
    },
  },
  fees: {
    late_cancel: 'late-cancellation fee',
    no_show: 'no-show fee',
    percent: '{{percent}}% of the price ({{amount}})',
  },
  invoice: {
    heading: 'Invoice #{{number}}',
    subtotal: 'Subtotal',
    tax: 'Tax ({{rate}}%)',
    total: 'Total',
  },
  simulated: 'This was a test payment through a simulated payment gateway: no money moved.',
  sms: {
    replyPrompt: 'Reply C to cancel, R to reschedule.',
    manage: '{{prompt}} Manage: {{url}}',
    files: ' Please send the files we asked for: {{url}}',
    confirmation: '{{biz}}: Your {{svc}}{{withStaff}} is confirmed for {{when}}. {{manage}}',
    reminder48h: '{{biz}}: Reminder - your {{svc}}{{withStaff}} is coming up on {{when}}. {{manage}}',
    reminder12h: '{{biz}}: Your {{svc}}{{withStaff}} is coming up soon, at {{time}} ({{day}}). {{manage}}',
    movedFrom: 'has moved from {{from}} to {{to}}',
    movedTo: 'has moved to {{to}}',
    rescheduled: '{{biz}}: Your {{svc}}{{withStaff}} {{move}}. {{manage}}',
    cancelled: '{{biz}}: Your {{svc}} on {{when}} has been cancelled.{{reason}} Book again any time: {{url}}',
    reason: ' Reason: {{reason}}',
    rebookSlots: '{{biz}}: Ready for your next {{svc}}? Open times:\n{{lines}}\nMore times: {{url}}',
    rebookNone: '{{biz}}: Ready for your next {{svc}}? Book here: {{url}}',
    bookAgainSlots:
      '{{biz}}: Your last {{svc}} was on {{day}}. Time for the next? Open times:\n{{lines}}\nMore: {{url}}',
    bookAgainNone: '{{biz}}: Your last {{svc}} was on {{day}}. Time for the next? Book here: {{url}}',
    rescheduleRequest:
      '{{biz}}: Sorry, {{staff}} can no longer make your {{svc}} on {{when}}.{{times}} Choose a new time: {{url}}',
    rescheduleRequestUs:
      '{{biz}}: Sorry, we can no longer make your {{svc}} on {{when}}.{{times}} Choose a new time: {{url}}',
    rescheduleTimes: ' Open times: {{times}}.',
    noShow: '{{biz}}: Hi{{first}}, we missed you at your {{svc}} on {{day}}. We hope all is well! {{rest}}',
    noShowSlots: 'Want a new time? Open times:\n{{lines}}\nMore times: {{url}}',
    noShowNone: 'Pick a new time here: {{url}}',
    waitlist: ' No time suits? Reply W to join the waitlist.',
    receipt:
      '{{biz}}: Thank you! We received your payment of {{total}} for your {{svc}} on {{day}} (invoice #{{invoice}}{{card}}).{{test}} Invoice: {{url}}',
    declined:
      '{{biz}}: Your payment of {{total}} for your {{svc}} did not go through{{reason}}{{next}}{{test}} Please update your card or try again: {{url}}',
    declinedNext: " We'll try again {{when}}.",
    actionRequired: 'Your bank asks you to confirm your payment of {{total}} for your {{svc}}',
    actionRequiredLink: ' Confirm here: {{url}}',
    payLink: 'Your invoice for your {{svc}} is {{total}}',
    payLinkFee: 'Your {{fee}} for your {{svc}} is {{total}}',
    payLinkUrl: ' Pay online: {{url}}',
    feedback: '{{biz}}: Hi{{first}}, thank you for your {{svc}}! How did it go? Tell us here: {{url}}',
    test: 'Test payment, no money moved.',
  },
  membership: {
    hi: 'Hi {{first}},',
    unlimited: 'Unlimited visits',
    left: '{{left}} of {{total}} visits left',
    leftLower: '{{left}} of {{total}} visits left',
    unlimitedLower: 'unlimited visits',
    rows: {
      membership: 'Membership',
      certificate: 'Certificate number',
      visits: 'Visits',
      validUntil: 'Valid until',
      covers: 'Covers',
    },
    book: 'Book a visit',
    renewButton: 'Renew my membership',
    purchased: {
      subject: 'Your {{plan}} membership — certificate {{cert}}',
      intro:
        'Thank you for buying {{plan}} ({{price}}). Your certificate number is <b>{{cert}}</b>; give it when you book a visit, online or by phone.',
    },
    expiring: {
      subject: 'Your {{plan}} membership ends soon',
      intro:
        'Your membership ends on <b>{{until}}</b> and you still have {{visits}}. Book them before then so they are not lost.',
    },
    expired: {
      subject: 'Your {{plan}} membership has ended',
      used: 'You have used all the visits of your {{plan}} membership (certificate {{cert}}). We hope you enjoyed them!',
      ended: 'Your {{plan}} membership (certificate {{cert}}) has reached the end of its validity.',
      renew: 'Renew it to keep your visits coming: <b>{{plan}}, {{price}}</b>.',
    },
    sms: {
      purchased: '{{biz}}: your {{plan}} membership is active. Certificate {{cert}}. {{visits}}. Book: {{url}}',
      expiring: '{{biz}}: your {{plan}} membership {{cert}} ends {{until}}; {{visits}}. Book: {{url}}',
      expired: '{{biz}}: your {{plan}} membership {{cert}} has ended. Renew: {{url}}',
    },
  },
  reply: {
    theBusiness: 'the business',
    appointments: 'Appointments',
    us: 'us',
    or: ' or ',
    forwarded: 'Thanks, we passed your message to our team at {{business}}.',
    help: '{{business}}: call or write to {{reach}}. {{prompt}} Reply STOP to opt out.',
    none: 'We found no upcoming appointment for you. Please contact {{business}}.',
    noneCall: 'We found no upcoming appointment for you. Please contact {{business}} at {{phone}}.',
    cancelAsk: 'Cancel your {{svc}} on {{when}}? Reply YES to confirm. Nothing changes otherwise.',
    cancelAskFee:
      'Cancel your {{svc}} on {{when}}? A late-cancel fee of {{fee}} applies. Reply YES to confirm. Nothing changes otherwise.',
    nothingToConfirm: 'Nothing to confirm. {{prompt}}',
    cannotCancel: 'Sorry, this appointment can no longer be cancelled here: {{reason}}',
    moveAsk: 'Move your {{svc}} from {{when}}? Reply {{numbers}} for: {{list}}',
    noChoice: 'No open choice. {{prompt}}',
    taken: 'Sorry, that time is no longer available. Reply R for new times.',
    waitlistJoined:
      "You're on the waitlist for {{svc}}{{withStaff}} until {{until}}. We'll text you as soon as a time opens up.",
    waitlistAlready: "You're already on the waitlist for {{svc}}. We'll text you as soon as a time opens up.",
    waitlistNothing: 'We found no cancelled appointment to wait for. Book here: {{url}}',
  },
  ics: {
    title: '{{service}} with {{business}}',
    summary: '{{service}}{{withStaff}} at {{business}}.',
    cancelled: 'This appointment has been cancelled.',
    bookAgain: 'Book again: {{url}}',
    manage: 'Reschedule or cancel: {{url}}',
  },
};

export type CustomerMessages = typeof en;
