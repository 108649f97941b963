DROP INDEX "wallet_postings_account_seq_idx";--> statement-breakpoint
ALTER TABLE "wallet_postings" DROP COLUMN "seq";