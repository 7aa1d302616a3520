/// The live service's schema, as deployed: the one copy in this repository (a test holds it to the
/// contract's `live-schema.sql` when that folder is beside the checkout). The batch jobs never
/// change these tables; the sample generator and the tests create databases from it.
public enum LiveSchema {
    /// The live tables and the columns the batch jobs read or write. Opening a database checks them.
    public static let requiredColumns: [(table: String, columns: [String])] = [
        ("venues", ["id", "name", "currency", "timezone", "status", "credits_remaining", "max_menu_parses_remaining", "mpesa_shortcode", "created_at", "updated_at"]),
        ("menu_items", ["id", "venue_id", "category", "name", "description", "base_price_cents", "options", "dietary_tags", "available", "created_at", "updated_at"]),
        ("customers", ["id", "venue_id", "channel", "msisdn", "name"]),
        ("orders", ["id", "venue_id", "order_number", "customer_id", "total_cents", "currency", "status", "payment_method", "payment_status", "created_at", "approved_at", "updated_at"]),
        ("invoices", ["id", "venue_id", "order_id", "customer_name", "msisdn", "amount_cents", "currency", "status", "created_at"]),
        ("payments", ["id", "venue_id", "purpose", "order_id", "invoice_id", "provider", "status", "amount_cents", "currency", "provider_ref", "account_ref", "mpesa_receipt", "msisdn", "credits", "created_at", "updated_at"]),
        ("credit_transactions", ["id", "venue_id", "amount", "type", "stripe_payment_id", "order_id", "created_at"]),
    ]

    /// The DDL, as the contract's `live-schema.sql` has it.
    public static let sql = #"""
-- The live ordering service's database, as deployed: one SQLite file in WAL mode that the
-- chat service (Messenger / WhatsApp ordering, staff approval, credits, M-PESA and Stripe
-- callbacks) writes all day. The batch jobs share this file. They own only the tables they
-- create themselves, and write to these tables only where the contract for that job says so.
--
-- Conventions the live service follows, and the batch jobs must too:
--   * ids are TEXT (UUID v4, or the prefixed ids noted below);
--   * money is INTEGER minor units (cents; KES cents = shillings * 100); currency is ISO 4217, upper case;
--   * timestamps are TEXT, ISO 8601 in UTC with a Z: '2026-11-20T18:04:05Z';
--   * JSON columns are TEXT holding JSON;
--   * phone numbers (msisdn) are E.164 digits without '+': '254712345678'.
-- The live service opens the file with: PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;

CREATE TABLE venues (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    location TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    currency TEXT NOT NULL DEFAULT 'USD',
    timezone TEXT NOT NULL DEFAULT 'UTC',             -- IANA name, e.g. 'Africa/Nairobi'
    business_hours TEXT,                              -- JSON {"mon": {"open": "09:00", "close": "22:00"}, ...}
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'suspended')),
    credits_remaining INTEGER NOT NULL DEFAULT 25,
    max_menu_parses_remaining INTEGER NOT NULL DEFAULT 3,
    approval_group_id TEXT NOT NULL,
    kitchen_group_id TEXT,
    mpesa_shortcode TEXT,                             -- paybill or till number, for venues paid by M-PESA
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE menu_items (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    base_price_cents INTEGER NOT NULL CHECK (base_price_cents > 0),
    options TEXT,                   -- JSON [{"name": "Size", "choices": [{"value": "Large", "price_delta_cents": 400}]}]
    modifications_allowed TEXT,     -- JSON ["no onions", "extra cheese"]
    dietary_tags TEXT,              -- JSON ["vegetarian", "gluten_free"]; vocabulary in CLI.md
    available INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_menu_items_venue ON menu_items(venue_id);

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    channel TEXT NOT NULL CHECK (channel IN ('messenger', 'whatsapp', 'sms', 'web')),
    channel_user_id TEXT NOT NULL,  -- Messenger PSID or WhatsApp number
    msisdn TEXT,
    name TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (venue_id, channel, channel_user_id)
);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    order_number INTEGER NOT NULL,  -- restarts at 1 each day, per venue
    customer_id TEXT REFERENCES customers(id),
    table_number TEXT,
    items TEXT NOT NULL,            -- JSON [{"menu_item_id", "name", "quantity", "unit_price_cents", "selected_options", "modifications", "line_total_cents"}]
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled', 'completed')),
    payment_method TEXT CHECK (payment_method IN ('cash', 'card', 'mpesa')),
    payment_status TEXT NOT NULL DEFAULT 'unpaid'
        CHECK (payment_status IN ('unpaid', 'pending', 'paid', 'refunded', 'partially_refunded', 'failed')),
    approved_by TEXT,
    rejected_reason TEXT,
    created_at TEXT NOT NULL,
    approved_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_orders_venue_created ON orders(venue_id, created_at);
CREATE INDEX idx_orders_status ON orders(status);

-- WhatsApp invoices that a merchant sends a customer, paid by M-PESA STK push.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY,            -- 'INV-0001234' (at most 12 characters: it is also the STK AccountReference)
    venue_id TEXT NOT NULL REFERENCES venues(id),
    order_id TEXT REFERENCES orders(id),
    customer_name TEXT,
    msisdn TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 100),
    currency TEXT NOT NULL DEFAULT 'KES',
    description TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'PAID', 'CANCELLED', 'FAILED')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per payment attempt, whatever it pays for: an order (card or M-PESA), an invoice (M-PESA),
-- or a venue's credit pack (Stripe Checkout).
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('order', 'invoice', 'credits')),
    order_id TEXT REFERENCES orders(id),
    invoice_id TEXT REFERENCES invoices(id),
    provider TEXT NOT NULL CHECK (provider IN ('stripe', 'mpesa')),
    status TEXT NOT NULL CHECK (status IN ('INITIATED', 'SUCCESS', 'FAILED', 'EXPIRED', 'REFUNDED')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency TEXT NOT NULL,
    provider_ref TEXT,              -- Stripe PaymentIntent id 'pi_…'; M-PESA CheckoutRequestID 'ws_CO_…'
    account_ref TEXT,               -- M-PESA: the AccountReference sent with the STK push (at most 12 characters),
                                    -- shown as 'A/C No.' on the statement: the invoice id, or 'OD' + 8 hex of the order id
    mpesa_receipt TEXT,             -- M-PESA receipt 'TKL2ABC3DE', set by the STK callback (NULL if the callback never came)
    msisdn TEXT,
    credits INTEGER,                -- for purpose 'credits': the pack bought (100, 500 or 1000)
    idempotency_key TEXT UNIQUE,
    raw_callback TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_payments_provider_ref ON payments(provider, provider_ref);
CREATE INDEX idx_payments_receipt ON payments(mpesa_receipt);

-- The credit ledger. A venue's credits_remaining always equals the sum of its rows' amounts:
-- the 25 free credits of a new venue are its first row ('bonus', +25).
CREATE TABLE credit_transactions (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
    amount INTEGER NOT NULL,        -- +: purchase, bonus, refund; -: order_charge, menu_import
    type TEXT NOT NULL CHECK (type IN ('purchase', 'order_charge', 'menu_import', 'bonus', 'refund')),
    stripe_payment_id TEXT,         -- purchases: the PaymentIntent id 'pi_…'
    order_id TEXT REFERENCES orders(id),
    created_at TEXT NOT NULL
);
CREATE INDEX idx_credit_transactions_venue ON credit_transactions(venue_id);
"""#
}
