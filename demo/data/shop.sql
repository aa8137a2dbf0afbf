-- The demo database. Rebuild with: sqlite3 demo/data/shop.sqlite < demo/data/shop.sql
PRAGMA foreign_keys = ON;
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  country TEXT NOT NULL
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0)
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'shipped', 'cancelled')),
  created_at TEXT NOT NULL
);
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
);
CREATE INDEX orders_by_customer ON orders(customer_id);

INSERT INTO customers VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 'GB'),
  (2, 'Grace Hopper', 'grace@example.com', 'US'),
  (3, 'Katherine Johnson', 'katherine@example.com', 'US'),
  (4, 'Hedy Lamarr', 'hedy@example.com', 'AT');
INSERT INTO products VALUES
  (1, 'MUG-01', 'Warden mug', 1200),
  (2, 'TEE-02', 'Deny-by-default T-shirt', 2500),
  (3, 'STK-03', 'Sticker pack', 450),
  (4, 'BK-04', 'The MCP handbook', 3900);
INSERT INTO orders VALUES
  (1, 1, 'shipped', '2026-10-02T09:15:00Z'),
  (2, 2, 'paid', '2026-10-05T14:02:00Z'),
  (3, 3, 'pending', '2026-10-07T08:40:00Z'),
  (4, 1, 'cancelled', '2026-10-09T17:21:00Z'),
  (5, 4, 'paid', '2026-10-11T11:05:00Z');
INSERT INTO order_items VALUES
  (1, 1, 2), (1, 3, 1),
  (2, 4, 1),
  (3, 2, 1), (3, 3, 3),
  (4, 1, 1),
  (5, 2, 2), (5, 4, 1);
