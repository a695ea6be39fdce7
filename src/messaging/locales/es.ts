/** Mensajes para clientes en español (las mismas claves que en.ts; una clave que falte no compila). */
import type { CustomerMessages } from './en';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> } & { [extra: string]: unknown };

export const es: Same<CustomerMessages> = {
  greeting: 'Hola {{first}}:',
  there: '',
  withStaff: ' con {{staff}}',
  duration: {
    minutes_one: '{{count}} minuto',
    minutes_other: '{{count}} minutos',
    minutes_many: '{{count}} minutos',
    hours_one: '{{count}} hora',
    hours_other: '{{count}} horas',
    hours_many: '{{count}} horas',
    both: '{{hours}} y {{minutes}}',
  },
  details: {
    previousTime: 'Hora anterior',
    newTime: 'Hora nueva',
    when: 'Cuándo',
    service: 'Servicio',
    duration: 'Duración',
    until: '{{duration}} (hasta las {{end}})',
    with: 'Con',
    where: 'Dónde',
    notesFrom: 'Notas de {{business}}',
    yourNote: 'Su nota',
    reason: 'Motivo',
  },
  manage: {
    intro: '¿Cambio de planes? Puede cambiar la hora o cancelar en línea:',
    button: 'Cambiar o cancelar',
  },
  files: {
    label: 'Antes de su visita, envíenos por favor',
    button: 'Enviar archivos',
    how: 'Envíelos desde su cuenta, en nuestra conversación sobre esta cita (fotos o PDF, hasta 10 MB cada uno):',
  },
  report: {
    heading: 'Informe del servicio',
    summary: 'Lo que hicimos',
    nextSteps: 'Próximos pasos',
    photos: 'Fotos: {{names}}',
    account: 'Véalas en su cuenta',
  },
  slots: {
    intro: 'Estas son algunas horas libres (toque una para reservarla):',
    more: '¿No le va bien ninguna? Vea todas las horas libres:',
    pick: 'Elija la hora que mejor le venga:',
    book: 'Reservar una cita',
    waitlist: '¿Ninguna hora le va bien? Apúntese a la lista de espera y le ofreceremos la primera que quede libre:',
    waitlistButton: 'Apuntarme a la lista de espera',
  },
  footer: {
    callEmail: '¿Preguntas? Llame a {{name}} al {{phone}} o escriba a {{email}}.',
    call: '¿Preguntas? Llame a {{name}} al {{phone}}.',
    email: '¿Preguntas? Escriba a {{name}} a {{email}}.',
  },
  email: {
    confirmation: {
      subject: 'Confirmada: {{service}} el {{when}}',
      intro: 'Su cita con {{business}} está confirmada.',
      ics: 'Adjuntamos una invitación de calendario (.ics) para que pueda añadir la cita a su calendario.',
      series: 'Visita {{index}} de {{count}} de su serie ({{rule}}).',
      cancellationLate:
        '<b>Política de cancelación:</b> cancelar con menos de {{hours}} horas de antelación cuesta {{fee}}.',
      cancellationNoShow: 'No presentarse sin cancelar cuesta {{fee}}.',
      deposit:
        '<b>Depósito pagado: {{deposit}}.</b> Se descuenta de su factura; el resto ({{rest}}) se cobra después de su visita.',
      depositPolicy:
        'Si cancela a tiempo, el depósito se reembolsa íntegro; una cancelación tardía o una ausencia lo retiene a cuenta de la tarifa.',
      depositRefundable: 'Si cancela, el depósito se reembolsa íntegro.',
    },
    reminder48h: {
      subject: 'Recordatorio: {{service}} el {{when}}',
      intro: 'Le recordamos que su {{service}}{{withStaff}} es el <b>{{day}} a las {{time}}</b>.',
    },
    reminder12h: {
      subject: 'Hoy a las {{time}}: {{service}} ({{day}})',
      intro: 'Su {{service}}{{withStaff}} es muy pronto, a las <b>{{time}}</b> del {{day}}.',
    },
    rescheduled: {
      subject: 'Cambio de hora: {{service}} ahora el {{when}}',
      moved: 'Su {{service}}{{withStaff}} ha pasado del <b>{{from}}</b> al <b>{{to}}</b>.',
      movedTo: 'Su {{service}}{{withStaff}} ha pasado al <b>{{to}}</b>.',
    },
    cancelled: {
      subject: 'Cancelada: {{service}} el {{when}}',
      intro: 'Su {{service}}{{withStaff}} del <b>{{when}}</b> se ha cancelado. No tiene que hacer nada más.',
      again: 'Nos encantará verle otro día. Puede reservar una cita nueva aquí:',
      button: 'Reservar una cita nueva',
      depositRefunded: 'Le reembolsamos su depósito de {{amount}} a su tarjeta (puede tardar unos días en aparecer).',
      depositKept: 'Retenemos {{kept}} de su depósito a cuenta de la tarifa de cancelación.',
    },
    rebookFollowUp: {
      subject: 'Reserve su próximo {{service}} con {{business}}',
      intro: '¿Quiere reservar su próximo {{service}} con {{business}}?',
    },
    bookAgain: {
      subject: '¿Reservamos su próximo {{service}}?',
      intro: 'Su último {{service}}{{withStaff}} fue el <b>{{day}}</b>. ¿Reservamos el próximo?',
    },
    rescheduleRequest: {
      subject: 'Elija una nueva hora para su {{service}} del {{day}}',
      intro:
        'Lo sentimos: {{who}} ya no puede atender su {{service}} del <b>{{when}}</b>. Por favor, elija una nueva hora.',
      open: 'Estas horas están libres:',
      button: 'Elegir una nueva hora',
    },
    noShowPrompt: {
      subject: 'Le echamos de menos en su {{service}} del {{day}}',
      intro:
        'Le esperábamos en su {{service}}{{withStaff}} del {{when}}. Esperamos que todo vaya bien: a veces surgen imprevistos, y con gusto le buscamos otra hora.',
    },
    receipt: {
      subject: 'Recibo: {{total}} por {{service}} (factura n.º {{invoice}})',
      subjectTest: 'Recibo de prueba: {{total}} por {{service}} (factura n.º {{invoice}})',
      intro: '¡Gracias! Hemos recibido su pago de <b>{{total}}</b> por su {{service}}{{withStaff}} del {{when}}.',
      feeIntro:
        '¡Gracias! Hemos recibido su pago de <b>{{total}}</b>, el {{fee}} de su {{service}}{{withStaff}} del {{when}}, según nuestra política de cancelación.',
      invoice: 'Factura',
      amountPaid: 'Importe pagado',
      deposit: 'De ello, el depósito pagado al reservar',
      paidWith: 'Pagado con',
      view: 'Puede ver y descargar su factura aquí:',
      button: 'Ver la factura',
    },
    paymentDeclined: {
      subject: 'Su pago de {{total}} a {{business}} no se ha podido completar',
      intro:
        'Intentamos cobrar <b>{{total}}</b>{{card}} por su {{service}} del {{when}} (factura n.º {{invoice}}), pero el pago no se completó.',
      card: ' en su {{card}}',
      retry:
        'Lo intentaremos de nuevo el <b>{{when}}</b>. Para que salga bien, actualice su tarjeta antes, o inténtelo ahora con otra tarjeta:',
      update: 'Actualice su tarjeta e inténtelo de nuevo:',
      button: 'Actualizar su tarjeta',
    },
    paymentActionRequired: {
      subject: 'Confirme su pago de {{total}} a {{business}}',
      intro:
        'Su banco le pide que confirme el pago de <b>{{total}}</b> por su {{service}} del {{when}} (factura n.º {{invoice}}). Es una comprobación de seguridad habitual y solo lleva un momento:',
      button: 'Confirmar el pago',
    },
    paymentLink: {
      subject: 'Su factura n.º {{invoice}} de {{business}}: {{total}}',
      intro:
        'Gracias por su visita del {{when}}. Su factura asciende a <b>{{total}}</b>. Puede pagarla en línea con tarjeta o monedero digital:',
      feeIntro:
        'Según nuestra política de cancelación, el {{fee}} de su {{service}} del {{when}} asciende a <b>{{total}}</b>. Puede pagarlo en línea con tarjeta o monedero digital:',
      button: 'Pagar en línea',
    },
    feedbackRequest: {
      subject: '¿Qué tal su {{service}}?',
      intro: 'Gracias por elegir {{business}} para su {{service}}{{withStaff}} del {{when}}.',
      ask: 'Nos encantaría saber cómo fue. Solo lleva un minuto:',
      button: 'Dar su opinión',
    },
  },
  fees: {
    late_cancel: 'cargo por cancelación tardía',
    no_show: 'cargo por no presentarse',
    percent: '{{percent}} % del precio ({{amount}})',
  },
  invoice: {
    heading: 'Factura n.º {{number}}',
    subtotal: 'Subtotal',
    tax: 'Impuestos ({{rate}} %)',
    total: 'Total',
  },
  simulated: 'Fue un pago de prueba con una pasarela de pago simulada: no se movió dinero.',
  sms: {
    replyPrompt: 'Responda C para cancelar, R para cambiar la hora.',
    manage: '{{prompt}} Gestionar: {{url}}',
    files: ' Envienos los archivos que le pedimos: {{url}}',
    confirmation: '{{biz}}: Su {{svc}}{{withStaff}} está confirmada para el {{when}}. {{manage}}',
    reminder48h: '{{biz}}: Recordatorio: su {{svc}}{{withStaff}} es el {{when}}. {{manage}}',
    reminder12h: '{{biz}}: Su {{svc}}{{withStaff}} es muy pronto, a las {{time}} ({{day}}). {{manage}}',
    movedFrom: 'ha pasado del {{from}} al {{to}}',
    movedTo: 'ha pasado al {{to}}',
    rescheduled: '{{biz}}: Su {{svc}}{{withStaff}} {{move}}. {{manage}}',
    cancelled: '{{biz}}: Su {{svc}} del {{when}} se ha cancelado.{{reason}} Reserve de nuevo cuando quiera: {{url}}',
    reason: ' Motivo: {{reason}}',
    rebookSlots: '{{biz}}: ¿Reservamos su próximo {{svc}}? Horas libres:\n{{lines}}\nMás horas: {{url}}',
    rebookNone: '{{biz}}: ¿Reservamos su próximo {{svc}}? Reserve aquí: {{url}}',
    bookAgainSlots:
      '{{biz}}: Su último {{svc}} fue el {{day}}. ¿Reservamos el próximo? Horas libres:\n{{lines}}\nMás: {{url}}',
    bookAgainNone: '{{biz}}: Su último {{svc}} fue el {{day}}. ¿Reservamos el próximo? Reserve aquí: {{url}}',
    rescheduleRequest:
      '{{biz}}: Lo sentimos, {{staff}} ya no puede atender su {{svc}} del {{when}}.{{times}} Elija una nueva hora: {{url}}',
    rescheduleRequestUs:
      '{{biz}}: Lo sentimos, ya no podemos atender su {{svc}} del {{when}}.{{times}} Elija una nueva hora: {{url}}',
    rescheduleTimes: ' Horas libres: {{times}}.',
    noShow: '{{biz}}: Hola{{first}}, le esperábamos en su {{svc}} del {{day}}. ¡Esperamos que todo vaya bien! {{rest}}',
    noShowSlots: '¿Otra hora? Horas libres:\n{{lines}}\nMás horas: {{url}}',
    noShowNone: 'Elija otra hora aquí: {{url}}',
    waitlist: ' ¿Ninguna le va bien? Responda W para la lista de espera.',
    receipt:
      '{{biz}}: ¡Gracias! Recibimos su pago de {{total}} por su {{svc}} del {{day}} (factura {{invoice}}{{card}}).{{test}} Factura: {{url}}',
    declined:
      '{{biz}}: Su pago de {{total}} por su {{svc}} no se completó{{reason}}{{next}}{{test}} Actualice su tarjeta o inténtelo de nuevo: {{url}}',
    declinedNext: ' Lo intentaremos de nuevo el {{when}}.',
    actionRequired: 'Su banco le pide que confirme su pago de {{total}} por su {{svc}}',
    actionRequiredLink: ' Confírmelo aquí: {{url}}',
    payLink: 'Su factura de {{svc}} es de {{total}}',
    payLinkFee: 'Su {{fee}} de {{svc}} es de {{total}}',
    payLinkUrl: ' Pague en línea: {{url}}',
    feedback: '{{biz}}: Hola{{first}}, ¡gracias por su {{svc}}! ¿Qué tal fue? Cuéntenoslo aquí: {{url}}',
    test: 'Pago de prueba, no se movió dinero.',
  },
  membership: {
    hi: 'Hola {{first}}:',
    unlimited: 'Visitas ilimitadas',
    left: 'Le quedan {{left}} de {{total}} visitas',
    leftLower: 'le quedan {{left}} de {{total}} visitas',
    unlimitedLower: 'visitas ilimitadas',
    rows: {
      membership: 'Membresía',
      certificate: 'Número de certificado',
      visits: 'Visitas',
      validUntil: 'Válida hasta',
      covers: 'Incluye',
    },
    book: 'Reservar una visita',
    renewButton: 'Renovar mi membresía',
    purchased: {
      subject: 'Su membresía {{plan}}: certificado {{cert}}',
      intro:
        'Gracias por comprar {{plan}} ({{price}}). Su número de certificado es <b>{{cert}}</b>; indíquelo al reservar una visita, en línea o por teléfono.',
    },
    expiring: {
      subject: 'Su membresía {{plan}} termina pronto',
      intro: 'Su membresía termina el <b>{{until}}</b> y todavía {{visits}}. Resérvelas antes para no perderlas.',
    },
    expired: {
      subject: 'Su membresía {{plan}} ha terminado',
      used: 'Ha usado todas las visitas de su membresía {{plan}} (certificado {{cert}}). ¡Esperamos que las haya disfrutado!',
      ended: 'Su membresía {{plan}} (certificado {{cert}}) ha llegado al final de su validez.',
      renew: 'Renuévela para seguir disfrutando de sus visitas: <b>{{plan}}, {{price}}</b>.',
    },
    sms: {
      purchased: '{{biz}}: su membresía {{plan}} está activa. Certificado {{cert}}. {{visits}}. Reservar: {{url}}',
      expiring: '{{biz}}: su membresía {{plan}} {{cert}} termina el {{until}}; {{visits}}. Reservar: {{url}}',
      expired: '{{biz}}: su membresía {{plan}} {{cert}} ha terminado. Renovar: {{url}}',
    },
  },
  reply: {
    theBusiness: 'el negocio',
    appointments: 'Citas',
    us: 'nosotros',
    or: ' o ',
    forwarded: 'Gracias, hemos pasado su mensaje a nuestro equipo de {{business}}.',
    help: '{{business}}: llame o escriba a {{reach}}. {{prompt}} Responda STOP para no recibir más SMS.',
    none: 'No encontramos ninguna cita próxima suya. Contacte con {{business}}, por favor.',
    noneCall: 'No encontramos ninguna cita próxima suya. Contacte con {{business}} al {{phone}}, por favor.',
    cancelAsk: '¿Cancelar su {{svc}} del {{when}}? Responda YES para confirmar. Si no, no cambia nada.',
    cancelAskFee:
      '¿Cancelar su {{svc}} del {{when}}? Se cobra un cargo por cancelación tardía de {{fee}}. Responda YES para confirmar. Si no, no cambia nada.',
    nothingToConfirm: 'No hay nada que confirmar. {{prompt}}',
    cannotCancel: 'Lo sentimos, esta cita ya no se puede cancelar por aquí: {{reason}}',
    moveAsk: '¿Cambiar su {{svc}} del {{when}}? Responda {{numbers}} para: {{list}}',
    noChoice: 'No hay ninguna elección pendiente. {{prompt}}',
    taken: 'Lo sentimos, esa hora ya no está libre. Responda R para ver horas nuevas.',
    waitlistJoined:
      'Está en la lista de espera para {{svc}}{{withStaff}} hasta el {{until}}. Le escribiremos en cuanto quede una hora libre.',
    waitlistAlready: 'Ya está en la lista de espera para {{svc}}. Le escribiremos en cuanto quede una hora libre.',
    waitlistNothing: 'No encontramos ninguna cita cancelada para esperar. Reserve aquí: {{url}}',
  },
  ics: {
    title: '{{service}} con {{business}}',
    summary: '{{service}}{{withStaff}} en {{business}}.',
    cancelled: 'Esta cita se ha cancelado.',
    bookAgain: 'Reservar de nuevo: {{url}}',
    manage: 'Cambiar o cancelar: {{url}}',
  },
};
