// The fixed part of the demo shop: what it sells, where its customers live and who works there.
// Only the people, the orders and what follows from them are drawn from the seed.

/** A product category of the demo shop. */
export interface CatalogCategory {
  readonly name: string;
  readonly description: string;
  /** Prefix of the products' SKUs. */
  readonly skuPrefix: string;
  readonly products: readonly CatalogProduct[];
}

/** A product of the demo catalog. */
export interface CatalogProduct {
  readonly name: string;
  /** Current list price in cents (USD). */
  readonly priceCents: number;
  /** Relative weight of how often it is bought. */
  readonly popularity: number;
  /** Day it entered the catalog (ISO date); it cannot be ordered before. */
  readonly addedOn: string;
  /** -1 (customers dislike it) .. 1 (customers love it): shifts its review ratings. */
  readonly quality: number;
}

function p(name: string, price: number, popularity: number, addedOn: string, quality = 0): CatalogProduct {
  return { name, priceCents: Math.round(price * 100), popularity, addedOn, quality };
}

export const CATALOG: readonly CatalogCategory[] = [
  {
    name: 'Electronics',
    description: 'Consumer electronics: audio, wearables, cameras and gadgets',
    skuPrefix: 'ELE',
    products: [
      p('Wireless Noise-Cancelling Headphones', 249.0, 6, '2020-06-01', 0.6),
      p('Bluetooth Portable Speaker', 79.99, 7, '2020-06-01', 0.3),
      p('True Wireless Earbuds', 129.0, 8, '2020-06-01', -0.2),
      p('Fitness Smartwatch', 199.0, 5, '2021-03-15', 0.2),
      p('E-Reader with Backlight', 139.99, 4, '2020-06-01', 0.7),
      p('Mirrorless Camera Kit', 899.0, 1.2, '2021-09-01', 0.5),
      p('4K Streaming Stick', 49.99, 7, '2020-06-01', 0.1),
      p('Smart Home Hub', 99.0, 2.5, '2023-02-01', -0.6),
      p('Action Camera 5K', 349.0, 1.5, '2024-04-10', 0.3),
    ],
  },
  {
    name: 'Computers',
    description: 'Laptops, monitors, storage and computer accessories',
    skuPrefix: 'CMP',
    products: [
      p('14-inch Ultrabook Laptop', 1199.0, 1.6, '2020-06-01', 0.4),
      p('Gaming Laptop 16-inch', 1899.0, 0.6, '2022-10-01', 0.2),
      p('27-inch 4K Monitor', 379.0, 2.5, '2020-06-01', 0.5),
      p('Mechanical Keyboard', 119.0, 4, '2020-06-01', 0.6),
      p('Ergonomic Wireless Mouse', 49.99, 8, '2020-06-01', 0.3),
      p('1080p Webcam', 69.99, 5, '2020-06-01', -0.3),
      p('1TB External SSD', 109.0, 5, '2021-01-10', 0.6),
      p('Wi-Fi 6 Router', 159.0, 2.5, '2021-06-01', -0.1),
      p('USB-C Docking Station', 89.0, 3.5, '2022-03-01', -0.5),
    ],
  },
  {
    name: 'Home & Kitchen',
    description: 'Kitchen appliances, cookware and household essentials',
    skuPrefix: 'HOM',
    products: [
      p('Espresso Machine', 449.0, 1.8, '2020-06-01', 0.4),
      p('Drip Coffee Maker', 59.99, 5, '2020-06-01', 0.1),
      p('High-Speed Blender', 129.0, 3, '2020-06-01', 0.2),
      p('Non-Stick Cookware Set', 149.0, 3, '2020-06-01', -0.2),
      p("Chef's Knife 8-inch", 64.5, 4, '2020-06-01', 0.7),
      p('Electric Kettle', 39.99, 7, '2020-06-01', 0.3),
      p('Air Fryer 5.5 qt', 99.99, 6, '2021-02-01', 0.5),
      p('Robot Vacuum Cleaner', 299.0, 2, '2022-05-01', -0.4),
      p('Cast Iron Skillet', 34.99, 5, '2020-06-01', 0.8),
    ],
  },
  {
    name: 'Books',
    description: 'Printed books: fiction, cooking, technology and children',
    skuPrefix: 'BOK',
    products: [
      p('The Silent Harbor (novel)', 16.99, 9, '2020-06-01', 0.4),
      p('Weeknight Dinners Cookbook', 29.95, 6, '2020-06-01', 0.5),
      p('Learning SQL the Practical Way', 44.99, 5, '2020-06-01', 0.7),
      p('A Short History of Everyday Things', 22.5, 5, '2021-04-01', 0.2),
      p('Mountains at Dawn (photo book)', 39.0, 2, '2020-06-01', 0.6),
      p('The Little Fox Goes Camping', 12.99, 6, '2020-06-01', 0.8),
      p('Mindful Money: Personal Finance', 18.0, 4, '2023-01-15', -0.1),
      p('Galaxy Drift (science fiction)', 14.99, 7, '2024-09-01', 0.3),
    ],
  },
  {
    name: 'Clothing',
    description: 'Apparel and shoes for women, men and children',
    skuPrefix: 'CLO',
    products: [
      p('Organic Cotton T-Shirt', 19.99, 10, '2020-06-01', 0.2),
      p('Slim Fit Jeans', 59.0, 6, '2020-06-01', -0.1),
      p('Waterproof Rain Jacket', 119.0, 3, '2020-06-01', 0.4),
      p('Merino Wool Sweater', 89.0, 3.5, '2020-06-01', 0.5),
      p('Everyday Sneakers', 74.99, 6, '2020-06-01', 0.1),
      p('Down Winter Parka', 229.0, 1.5, '2021-10-01', 0.3),
      p('Linen Summer Dress', 64.0, 3, '2022-04-01', -0.3),
      p('Wool Socks (3-pack)', 17.5, 8, '2020-06-01', 0.6),
    ],
  },
  {
    name: 'Sports & Outdoors',
    description: 'Fitness equipment, camping gear and outdoor sports',
    skuPrefix: 'SPO',
    products: [
      p('Yoga Mat', 29.99, 7, '2020-06-01', 0.4),
      p('Adjustable Dumbbells Pair', 279.0, 1.5, '2020-06-01', 0.3),
      p('2-Person Camping Tent', 189.0, 2, '2020-06-01', 0.1),
      p('Hiking Backpack 40L', 99.0, 3.5, '2020-06-01', 0.5),
      p('Cycling Helmet', 59.99, 3, '2020-06-01', 0.2),
      p('Running Shoes', 129.0, 5, '2020-06-01', 0.3),
      p('Insulated Water Bottle', 24.99, 9, '2020-06-01', 0.6),
      p('Sleeping Bag 3-Season', 89.0, 2, '2021-05-01', -0.2),
      p('Electric Scooter', 549.0, 0.8, '2023-05-01', -0.4),
    ],
  },
  {
    name: 'Beauty & Personal Care',
    description: 'Skin care, hair care, fragrances and grooming',
    skuPrefix: 'BEA',
    products: [
      p('Electric Toothbrush', 69.99, 5, '2020-06-01', 0.5),
      p('Hydrating Face Cream', 32.0, 6, '2020-06-01', 0.3),
      p('Argan Oil Shampoo', 14.5, 7, '2020-06-01', 0.1),
      p('Eau de Parfum 50ml', 85.0, 3, '2020-06-01', 0.2),
      p('Ionic Hair Dryer', 79.0, 3, '2020-06-01', -0.2),
      p('Beard Trimmer', 49.99, 4, '2021-08-01', 0.4),
      p('Mineral Sunscreen SPF 50', 18.99, 6, '2022-03-01', 0.5),
    ],
  },
  {
    name: 'Toys & Games',
    description: 'Board games, puzzles, building sets and toys for all ages',
    skuPrefix: 'TOY',
    products: [
      p('Strategy Board Game', 44.99, 5, '2020-06-01', 0.7),
      p('1000-Piece Jigsaw Puzzle', 19.99, 6, '2020-06-01', 0.4),
      p('Building Bricks Starter Set', 59.99, 5, '2020-06-01', 0.6),
      p('Remote Control Car', 69.0, 3, '2020-06-01', -0.5),
      p('Plush Teddy Bear', 24.0, 5, '2020-06-01', 0.5),
      p('Party Card Game', 14.99, 7, '2021-11-01', 0.3),
      p('Kids Science Kit', 34.5, 3, '2022-09-01', 0.1),
      p('Wooden Train Set', 79.0, 2, '2020-06-01', 0.6),
    ],
  },
  {
    name: 'Garden & Tools',
    description: 'Power tools, hand tools, gardening supplies and outdoor furniture',
    skuPrefix: 'GAR',
    products: [
      p('Cordless Drill Kit', 129.0, 3.5, '2020-06-01', 0.5),
      p('120-Piece Tool Set', 89.99, 3, '2020-06-01', 0.2),
      p('Expandable Garden Hose', 39.99, 4, '2020-06-01', -0.6),
      p('Electric Lawn Mower', 329.0, 1.2, '2021-03-01', 0.3),
      p('Pruning Shears', 22.0, 4, '2020-06-01', 0.4),
      p('Ceramic Plant Pots (set of 3)', 36.0, 4, '2020-06-01', 0.3),
      p('Outdoor Bistro Set', 259.0, 1, '2022-04-15', 0.0),
      p('Solar Garden Lights (8-pack)', 29.99, 5, '2023-03-01', -0.3),
    ],
  },
  {
    name: 'Office Supplies',
    description: 'Stationery, desk accessories and office furniture',
    skuPrefix: 'OFF',
    products: [
      p('Hardcover Notebook A5', 12.99, 9, '2020-06-01', 0.6),
      p('Fountain Pen', 34.0, 3, '2020-06-01', 0.4),
      p('LED Desk Lamp', 45.99, 5, '2020-06-01', 0.3),
      p('Ergonomic Office Chair', 319.0, 1.8, '2020-06-01', 0.2),
      p('Standing Desk Converter', 199.0, 1.5, '2021-01-20', -0.2),
      p('Weekly Planner', 16.5, 6, '2020-06-01', 0.3),
      p('Noise-Reducing Desk Mat', 27.0, 3, '2024-02-01', 0.1),
    ],
  },
];

/** A city where customers live; `weight` is its relative share of customers. */
export interface CatalogCity {
  readonly city: string;
  readonly country: string;
  readonly weight: number;
}

function cities(country: string, entries: ReadonlyArray<readonly [string, number]>): CatalogCity[] {
  return entries.map(([city, weight]) => ({ city, country, weight }));
}

export const CITIES: readonly CatalogCity[] = [
  ...cities('United States', [
    ['New York', 9],
    ['Los Angeles', 6],
    ['Chicago', 4],
    ['Houston', 3],
    ['San Francisco', 3.5],
    ['Seattle', 3],
    ['Boston', 2.5],
    ['Austin', 2],
    ['Miami', 2],
  ]),
  ...cities('Canada', [
    ['Toronto', 3.5],
    ['Vancouver', 2],
    ['Montreal', 2],
  ]),
  ...cities('United Kingdom', [
    ['London', 8],
    ['Manchester', 2.5],
    ['Birmingham', 2],
    ['Edinburgh', 1.5],
    ['Bristol', 1.2],
  ]),
  ...cities('France', [
    ['Paris', 6],
    ['Lyon', 2],
    ['Marseille', 1.8],
    ['Toulouse', 1.2],
    ['Bordeaux', 1],
  ]),
  ...cities('Germany', [
    ['Berlin', 5],
    ['Munich', 2.5],
    ['Hamburg', 2.2],
    ['Frankfurt', 1.5],
    ['Cologne', 1.3],
  ]),
  ...cities('Spain', [
    ['Madrid', 3],
    ['Barcelona', 2.8],
    ['Valencia', 1],
    ['Seville', 0.8],
  ]),
  ...cities('Italy', [
    ['Rome', 2.5],
    ['Milan', 2.5],
    ['Naples', 1],
    ['Turin', 0.9],
  ]),
  ...cities('Netherlands', [
    ['Amsterdam', 2.5],
    ['Rotterdam', 1.2],
    ['Utrecht', 0.8],
  ]),
  ...cities('Japan', [
    ['Tokyo', 5],
    ['Osaka', 2],
    ['Kyoto', 1],
    ['Yokohama', 1.2],
  ]),
  ...cities('Australia', [
    ['Sydney', 3],
    ['Melbourne', 2.8],
    ['Brisbane', 1.2],
    ['Perth', 0.8],
  ]),
  ...cities('Brazil', [
    ['São Paulo', 2.5],
    ['Rio de Janeiro', 1.5],
    ['Belo Horizonte', 0.6],
  ]),
  ...cities('India', [
    ['Mumbai', 2],
    ['Bangalore', 1.8],
    ['Delhi', 1.5],
  ]),
  ...cities('Mexico', [
    ['Mexico City', 2],
    ['Guadalajara', 0.8],
    ['Monterrey', 0.7],
  ]),
  ...cities('Sweden', [
    ['Stockholm', 1.5],
    ['Gothenburg', 0.6],
  ]),
  ...cities('Ireland', [
    ['Dublin', 1.5],
    ['Cork', 0.4],
  ]),
  ...cities('Poland', [
    ['Warsaw', 1.3],
    ['Krakow', 0.7],
  ]),
];

/** A position in the demo shop's staff; `managerIndex` points into `STAFF` (null: reports to nobody). */
export interface CatalogStaff {
  readonly role: string;
  readonly department: string;
  readonly managerIndex: number | null;
  /** Yearly base salary in USD, before a seeded variation of a few percent. */
  readonly salary: number;
  /** Earliest and latest hiring day (ISO dates). */
  readonly hiredBetween: readonly [string, string];
}

function staff(
  role: string,
  department: string,
  managerIndex: number | null,
  salary: number,
  hiredBetween: readonly [string, string],
  count = 1,
): CatalogStaff[] {
  return Array.from({ length: count }, () => ({ role, department, managerIndex, salary, hiredBetween }));
}

/** 25 positions: a CEO, six heads, and their teams (support agents answer the tickets). */
export const STAFF: readonly CatalogStaff[] = [
  ...staff('Chief Executive Officer', 'Executive', null, 210_000, ['2019-03-01', '2019-03-01']),
  ...staff('Head of Sales', 'Sales', 0, 145_000, ['2019-06-01', '2020-02-01']),
  ...staff('Head of Customer Support', 'Customer Support', 0, 120_000, ['2019-09-01', '2020-06-01']),
  ...staff('Head of Operations', 'Operations', 0, 130_000, ['2019-06-01', '2020-03-01']),
  ...staff('Head of Marketing', 'Marketing', 0, 135_000, ['2020-01-01', '2020-09-01']),
  ...staff('Chief Technology Officer', 'Engineering', 0, 185_000, ['2019-03-01', '2019-09-01']),
  ...staff('Finance Manager', 'Finance', 0, 115_000, ['2020-01-01', '2021-01-01']),
  ...staff('Support Team Lead', 'Customer Support', 2, 78_000, ['2020-06-01', '2021-06-01']),
  ...staff('Support Agent', 'Customer Support', 7, 52_000, ['2020-09-01', '2025-09-01'], 7),
  ...staff('Account Manager', 'Sales', 1, 82_000, ['2020-06-01', '2024-06-01'], 3),
  ...staff('Warehouse Associate', 'Operations', 3, 44_000, ['2020-06-01', '2025-06-01'], 2),
  ...staff('Logistics Coordinator', 'Operations', 3, 61_000, ['2021-01-01', '2023-06-01']),
  ...staff('Marketing Specialist', 'Marketing', 4, 68_000, ['2021-01-01', '2025-01-01'], 2),
  ...staff('Software Engineer', 'Engineering', 5, 125_000, ['2020-03-01', '2024-10-01'], 2),
];
