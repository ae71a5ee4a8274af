GRANT SELECT, INSERT, UPDATE ON trade_document, trade_document_ref, receivable, payment, payment_allocation TO tradeproof_app
