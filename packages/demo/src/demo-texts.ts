import type { DemoTicketCategory } from './demo-schema.js';

// Plain-English building blocks for reviews and support tickets. `{product}` and `{order}` are
// replaced by the product's name and the order number.

/** Review headlines by rating (index 0 = 1 star). */
export const REVIEW_TITLES: readonly (readonly string[])[] = [
  ['Terrible', 'Do not buy', 'Waste of money', 'Broke almost immediately', 'Very disappointed'],
  ['Disappointing', 'Not great', 'Below expectations', 'Would not buy again'],
  ['It is okay', 'Average', 'Does the job', 'Mixed feelings', 'Decent for the price'],
  ['Very good', 'Good product', 'Works well', 'Solid purchase', 'Happy with it'],
  ['Excellent!', 'Love it', 'Exactly what I needed', 'Great value for money', 'Highly recommend', 'Perfect'],
];

/** Review sentences by rating (index 0 = 1 star); a review takes one to three of them. */
export const REVIEW_SENTENCES: readonly (readonly string[])[] = [
  [
    'The {product} stopped working after a few days.',
    'Poor quality, it feels cheap.',
    'Nothing like the pictures.',
    'I returned it and asked for a refund.',
    'Customer service took a week to answer.',
    'Arrived damaged and the replacement was no better.',
  ],
  [
    'The {product} works, but not well.',
    'Smaller than I expected.',
    'Quality could be better for this price.',
    'It started to show wear after a month.',
    'The instructions were confusing.',
  ],
  [
    'The {product} is fine, nothing special.',
    'Does what it says, but feels a bit cheap.',
    'Delivery was slower than promised.',
    'Good enough for occasional use.',
    'Some small flaws, but it works.',
  ],
  [
    'The {product} works well and looks good.',
    'Good quality for the price.',
    'Delivery was quick.',
    'I use it almost every day.',
    'One small issue, otherwise very happy.',
  ],
  [
    'The {product} exceeded my expectations.',
    'Fantastic quality, you can tell it is well made.',
    'Arrived quickly and well packaged.',
    'I use it every day and would buy it again.',
    'Bought a second one as a gift.',
    'Worth every penny.',
  ],
];

/** Ticket subjects by category; `{order}` only appears in categories that concern an order. */
export const TICKET_SUBJECTS: Readonly<Record<DemoTicketCategory, readonly string[]>> = {
  shipping: [
    'Where is my order #{order}?',
    'Order #{order} is late',
    'Package arrived damaged',
    'Wrong delivery address on order #{order}',
    'Tracking number does not work',
  ],
  billing: [
    'Charged twice for order #{order}',
    'Need an invoice for order #{order}',
    'Payment declined but money taken',
    'Discount code not applied',
  ],
  product: [
    'Question about the {product}',
    'The {product} stopped working',
    'Missing parts in the {product}',
    'How do I set up the {product}?',
  ],
  returns: [
    'Return request for the {product}',
    'Refund not received for order #{order}',
    'Wrong item received in order #{order}',
    'Exchange the {product} for another size',
  ],
  account: [
    'Cannot log in to my account',
    'Change my email address',
    'Please delete my account',
    'Password reset link does not work',
    'Unsubscribe me from the newsletter',
  ],
};

/** Replace `{product}` and `{order}` in a template. */
export function fillTemplate(template: string, values: { product: string; order: number | null }): string {
  return template.replaceAll('{product}', values.product).replaceAll('{order}', String(values.order ?? ''));
}
