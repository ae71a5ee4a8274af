GRANT SELECT, INSERT ON webhook, webhook_request, webhook_delivery TO tradeproof_app
