GRANT UPDATE (status, retired_at) ON party_key TO tradeproof_app
