GRANT UPDATE (status, accepted_offer_id, lender_party_id, child_receivable_id, payment_reference, disbursed_event_id, closed_event_id) ON financing TO tradeproof_app
