DROP INDEX IF EXISTS receivable_claim_holder
