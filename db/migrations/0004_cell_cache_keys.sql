ALTER TABLE "run_cells" ADD COLUMN "cache_key" text;--> statement-breakpoint
ALTER TABLE "run_cells" ADD COLUMN "cached_from_run_id" text;--> statement-breakpoint
CREATE INDEX "run_cells_cache_key_idx" ON "run_cells" USING btree ("cache_key");