/** The hosted pages (checkout, Connect onboarding): small, accessible HTML with real forms. */

const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:.4rem;border:1px solid #444;cursor:pointer}
button.primary{background:#635bff;color:#fff;border-color:#635bff}.note{color:#555}</style></head>
<body><main>${body}</main></body></html>`;
}

/** "12.50 €" from minor units, with the currency's own exponent (Intl knows it: JPY 0, EUR 2, KWD 3). */
export function formatAmount(minor, currency) {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(minor / 10 ** digits);
}

export function checkoutPage(session, lineItems) {
  const amount = formatAmount(session.amount_total, session.currency);
  const items = lineItems.map((item) => `<li>${escape(item.price_data.product_data.name)} × ${escape(item.quantity ?? 1)}</li>`).join('');
  if (session.status !== 'open') {
    return page('Checkout', `<h1>Checkout</h1><p role="status">This checkout session is ${escape(session.status)}.</p>`);
  }
  return page(
    `Pay ${amount}`,
    `<h1>Pay ${escape(amount)}</h1>
<p class="note">Local Stripe test server: no card is needed.</p>
<ul aria-label="Items">${items}</ul>
<form method="post" action="/checkout/${escape(session.id)}/pay"><button class="primary" type="submit">Pay ${escape(amount)}</button></form>
<form method="post" action="/checkout/${escape(session.id)}/cancel"><button type="submit">Cancel</button></form>`,
  );
}

export function onboardingPage(link, account) {
  return page(
    'Connect your Stripe account',
    `<h1>Connect your Stripe account</h1>
<p class="note">Local Stripe test server: account ${escape(account.id)}. No details are needed.</p>
<form method="post" action="/connect/onboarding/${escape(link.id)}"><button class="primary" type="submit">Complete onboarding</button></form>`,
  );
}

export function messagePage(title, message) {
  return page(title, `<h1>${escape(title)}</h1><p role="alert">${escape(message)}</p>`);
}

/** The Customer Portal: the customer's subscriptions, each with Cancel (and Pay when one is overdue), and a way back. */
export function portalPage(session, subscriptions) {
  const rows = subscriptions
    .map((sub) => {
      const item = sub.items.data[0];
      const amount = formatAmount(item.price.unit_amount * item.quantity, item.price.currency);
      const end = new Date(item.current_period_end * 1000).toISOString().slice(0, 10);
      const actions =
        sub.status === 'canceled'
          ? ''
          : `${['past_due', 'unpaid'].includes(sub.status) ? `<form method="post" action="/billing_portal/${escape(session.id)}/subscriptions/${escape(sub.id)}/pay"><button class="primary" type="submit">Pay the overdue invoice</button></form>` : ''}
<form method="post" action="/billing_portal/${escape(session.id)}/subscriptions/${escape(sub.id)}/cancel"><button type="submit">Cancel subscription</button></form>`;
      return `<li><p><strong>${escape(item.price.nickname ?? item.price.id)}</strong>, ${escape(amount)} per ${escape(item.price.recurring.interval)} — <span class="status">${escape(sub.status)}</span>, period ends ${escape(end)}</p>${actions}</li>`;
    })
    .join('');
  const back = session.return_url ? `<p><a href="${escape(session.return_url)}">Return to the app</a></p>` : '';
  return page(
    'Manage billing',
    `<h1>Manage billing</h1>
<p class="note">Local Stripe test server: customer ${escape(session.customer)}.</p>
${rows ? `<ul aria-label="Subscriptions">${rows}</ul>` : '<p>No subscriptions.</p>'}
${back}`,
  );
}
