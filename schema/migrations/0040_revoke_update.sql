REVOKE UPDATE ON party, party_key, api_key, trade_document, trade_document_ref, receivable, payment, payment_allocation FROM tradeproof_app
