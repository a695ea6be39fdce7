/** Posting to the Twilio webhooks as Twilio does: a form body with an optional X-Twilio-Signature. */
export async function postTwilioForm(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  signature: string | undefined,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, text: await response.text() };
}
