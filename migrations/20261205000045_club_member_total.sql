-- Each club's number of active members, kept on the club, so discover can
-- list clubs by size from an index (its default order) instead of counting
-- every club's members for every page. A trigger on club_members keeps it:
-- joining, leaving, removal and deactivation change `is_active` or add or
-- delete a row. It runs as the owner: a member who joins may not update
-- the club's row themselves. Joining already locks the club's row (the
-- member cap), so keeping the count adds no new lock order.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE public.clubs ADD COLUMN member_total integer NOT NULL DEFAULT 0
    CONSTRAINT clubs_member_total_not_negative CHECK (member_total >= 0);

UPDATE public.clubs c
   SET member_total = (SELECT count(*) FROM public.club_members m
                        WHERE m.club_id = c.id AND m.is_active);

CREATE FUNCTION bookwork_private.count_members() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path TO '' AS $$
DECLARE
    change integer := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_active THEN
        change := change + 1;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.is_active THEN
        change := change - 1;
    END IF;
    IF change <> 0 THEN
        -- A club being deleted takes its members with it: its row is gone
        -- by then, and this updates nothing.
        UPDATE public.clubs SET member_total = member_total + change
         WHERE id = COALESCE(NEW.club_id, OLD.club_id);
    END IF;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION bookwork_private.count_members() FROM PUBLIC;

CREATE TRIGGER count_members AFTER INSERT OR DELETE OR UPDATE OF is_active
    ON public.club_members FOR EACH ROW EXECUTE FUNCTION bookwork_private.count_members();

CREATE INDEX clubs_size_order ON public.clubs (member_total DESC, lower(name), id);
