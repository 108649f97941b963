CREATE TABLE "catalog_outcomes" (
	"message_id" text PRIMARY KEY NOT NULL,
	"outcome" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "catalog_outcomes_at_idx" ON "catalog_outcomes" USING btree ("at");--> statement-breakpoint
-- the catalog's outcomes were kept in admin_outcomes (address 'catalog') before this table: keep them, so a message delivered again still gets its first answer
DO $$ BEGIN
  IF to_regclass('admin_outcomes') IS NOT NULL THEN
    INSERT INTO "catalog_outcomes" ("message_id", "outcome", "at")
      SELECT "message_id", "outcome", "at" FROM "admin_outcomes" WHERE "address" = 'catalog'
      ON CONFLICT DO NOTHING;
    DELETE FROM "admin_outcomes" WHERE "address" = 'catalog';
  END IF;
END $$;
