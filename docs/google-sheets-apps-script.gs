/**
 * appointflow — Google Sheets → appointflow inbound webhook (Apps Script).
 *
 * Install: Extensions → Apps Script, paste this file, set the two script properties
 * (Project Settings → Script properties):
 *   APPOINTFLOW_URL     https://<your appointflow>/webhooks/integrations/google_sheets
 *   APPOINTFLOW_SECRET  the sharedSecret configured with
 *                       PUT /api/integrations/google_sheets/inbound { "secrets": { "sharedSecret": "…" } }
 * then add an installable trigger: Triggers → Add trigger → onSheetChange, event source
 * "From spreadsheet", event type "On change" (and/or "On edit").
 *
 * The sheet needs a header row with at least the columns `appointment_id` (an appointflow
 * appointment id, or the id you linked with POST /api/integrations/links), `status` (e.g. Cancelled,
 * No-show, Rescheduled) and optionally `starts_at` (ISO 8601 with offset, for a reschedule) and
 * `reason`. Each changed row is posted as
 *   { "event_id", "external_id", "status", "starts_at"?, "reason"?, "sheet", "row" }
 * signed with X-Appointflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>.
 * appointflow rejects signatures older than 5 minutes and ignores a repeated event_id.
 */
function onSheetChange(e) {
  var sheet = SpreadsheetApp.getActiveSheet();
  var range = e && e.range ? e.range : sheet.getActiveRange();
  if (!range) return;
  var header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0];
  var col = function (name) {
    return header.indexOf(name);
  };
  for (var r = range.getRow(); r < range.getRow() + range.getNumRows(); r++) {
    if (r === 1) continue;
    var values = sheet.getRange(r, 1, 1, header.length).getValues()[0];
    var id = values[col('appointment_id')];
    var status = values[col('status')];
    if (!id || !status) continue;
    var startsAt = col('starts_at') >= 0 ? values[col('starts_at')] : '';
    var payload = {
      event_id: sheet.getParent().getId() + ':' + sheet.getName() + ':' + r + ':' + status + ':' + (startsAt || ''),
      external_id: String(id),
      status: String(status),
      sheet: sheet.getName(),
      row: r,
    };
    if (startsAt) payload.starts_at = startsAt instanceof Date ? startsAt.toISOString() : String(startsAt);
    if (col('reason') >= 0 && values[col('reason')]) payload.reason = String(values[col('reason')]);
    post_(payload);
  }
}

function post_(payload) {
  var props = PropertiesService.getScriptProperties();
  var url = props.getProperty('APPOINTFLOW_URL');
  var secret = props.getProperty('APPOINTFLOW_SECRET');
  var body = JSON.stringify(payload);
  var t = Math.floor(Date.now() / 1000);
  var mac = Utilities.computeHmacSha256Signature(t + '.' + body, secret, Utilities.Charset.UTF_8);
  var hex = mac
    .map(function (b) {
      var v = (b < 0 ? b + 256 : b).toString(16);
      return v.length === 1 ? '0' + v : v;
    })
    .join('');
  var response = UrlFetchApp.fetch(url, {
    method: 'post',
    contentType: 'application/json',
    payload: body,
    headers: { 'X-Appointflow-Signature': 't=' + t + ',v1=' + hex },
    muteHttpExceptions: true,
  });
  if (response.getResponseCode() >= 300) {
    console.warn('appointflow answered ' + response.getResponseCode() + ': ' + response.getContentText());
  }
}
