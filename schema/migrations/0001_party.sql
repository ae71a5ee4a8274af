CREATE TABLE IF NOT EXISTS party (
  id UUID PRIMARY KEY,
  legal_name TEXT NOT NULL CONSTRAINT party_legal_name_check CHECK (char_length(legal_name) BETWEEN 1 AND 300),
  registration_scheme TEXT NOT NULL CONSTRAINT party_registration_scheme_check CHECK (registration_scheme IN ('uscc', 'lei')),
  registration_id TEXT NOT NULL CONSTRAINT party_registration_id_key UNIQUE,
  roles TEXT[] NOT NULL CONSTRAINT party_roles_check CHECK (
    array_length(roles, 1) >= 1
    AND roles <@ ARRAY['core_enterprise', 'supplier', 'lender', 'logistics', 'auditor', 'platform_admin']::TEXT[]
  ),
  parent_party_id UUID CONSTRAINT party_parent_party_id_fkey REFERENCES party (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT party_check CHECK (parent_party_id IS NULL OR parent_party_id <> id)
)
