GRANT SELECT, INSERT ON fact_chain_link TO tradeproof_app
