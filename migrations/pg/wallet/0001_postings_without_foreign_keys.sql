ALTER TABLE "wallet_postings" DROP CONSTRAINT "wallet_postings_transaction_id_wallet_transactions_id_fk";
--> statement-breakpoint
ALTER TABLE "wallet_postings" DROP CONSTRAINT "wallet_postings_account_id_wallet_accounts_id_fk";
