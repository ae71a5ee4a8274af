CREATE TABLE IF NOT EXISTS party (
  id UUID PRIMARY KEY,
  legal_name TEXT NOT NULL CHECK (char_length(legal_name) BETWEEN 1 AND 300),
  registration_scheme TEXT NOT NULL CHECK (registration_scheme IN ('uscc', 'lei')),
  registration_id TEXT NOT NULL UNIQUE,
  roles TEXT[] NOT NULL CHECK (
    array_length(roles, 1) >= 1
    AND roles <@ ARRAY['core_enterprise', 'supplier', 'lender', 'logistics', 'auditor', 'platform_admin']::TEXT[]
  ),
  parent_party_id UUID REFERENCES party (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (parent_party_id IS NULL OR parent_party_id <> id)
)
