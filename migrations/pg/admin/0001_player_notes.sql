CREATE TABLE "player_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"player_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"username" text NOT NULL,
	"body" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "player_notes_player_idx" ON "player_notes" USING btree ("brand_id","player_id","at");