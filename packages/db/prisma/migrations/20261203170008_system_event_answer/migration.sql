-- Each audit event's JSON, as the listing (POST /systemevent) answers it, built once when the event is written
-- rather than for every page that shows it: for a page of 500 events, building their JSON (jsonData's text and
-- its escaping, the timestamp's format) was most of the statement's time (bench/README.md, "audit events").
-- "answerHead" is everything before the person's name and email, which can change and are read from "User" at
-- listing time; "answerTail" everything after. Byte for byte what JSON.stringify writes of the answer's event.
ALTER TABLE "SystemEvent" ADD COLUMN "answerHead" TEXT,
ADD COLUMN "answerTail" TEXT;

-- A trigger, so that every writer (the app's one statement per change, an operator's SQL, a restore) gets the
-- same text, and an UPDATE of an event cannot leave a stale one.
CREATE FUNCTION system_event_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."answerHead" := '{"id":' || NEW.id
    -- Microseconds, as stored: a timestamp passed back as to_timestamp must match its own event exactly.
    || ',"timestamp":"' || to_char(NEW.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"'
    || ',"contextId":' || to_json(NEW."contextId")::text
    || ',"context":' || to_json(NEW.context)::text
    || ',"event":' || to_json(NEW.event)::text
    || ',"userId":' || COALESCE(to_json(NEW."userId")::text, 'null');
  NEW."answerTail" := ',"workspaceId":' || COALESCE(to_json(NEW."workspaceId")::text, 'null')
    -- Flashback sends jsonData as a JSON string: PostgreSQL's text of the stored JSON.
    || ',"jsonData":' || to_json(NEW."jsonData"::text)::text || '}';
  RETURN NEW;
END $$;

CREATE TRIGGER system_event_answer BEFORE INSERT OR UPDATE ON "SystemEvent"
  FOR EACH ROW EXECUTE FUNCTION system_event_answer();

-- The events written so far, through the trigger (about a minute per million events).
UPDATE "SystemEvent" SET "answerHead" = NULL;

ALTER TABLE "SystemEvent" ALTER COLUMN "answerHead" SET NOT NULL,
ALTER COLUMN "answerTail" SET NOT NULL;
