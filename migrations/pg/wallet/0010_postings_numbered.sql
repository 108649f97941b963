ALTER TABLE "wallet_postings" ADD COLUMN "number" bigint;--> statement-breakpoint
-- postings written before numbering keep the order they had: their insertion order (seq), per brand
UPDATE "wallet_postings" AS p SET "number" = n."number"
FROM (SELECT "seq", row_number() OVER (PARTITION BY "brand_id" ORDER BY "seq") AS "number" FROM "wallet_postings") AS n
WHERE p."seq" = n."seq";--> statement-breakpoint
ALTER TABLE "wallet_postings" ALTER COLUMN "number" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_postings_brand_number_uq" ON "wallet_postings" USING btree ("brand_id","number");--> statement-breakpoint
CREATE INDEX "wallet_postings_account_number_idx" ON "wallet_postings" USING btree ("account_id","number");
