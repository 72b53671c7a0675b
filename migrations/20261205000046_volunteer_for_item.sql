-- "I'll bring it": a member takes on an unassigned task of one of their
-- club's coming meetings. Row security lets only moderators and up change
-- an item nobody has, so this runs as the owner, and checks in its body
-- what the application checked before calling it (the viewer is an active
-- member; the meeting is neither cancelled nor over; the item is a task or
-- material with nobody on it). The item's row is locked first, so of two
-- members volunteering at once one gets it and the other hears "taken".
SET LOCAL ROLE bookwork_owner;

CREATE FUNCTION bookwork_private.volunteer_for_item(item uuid) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path TO '' AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    target record;
BEGIN
    SELECT i.id, i.assigned_to, i.category, e.club_id, e.cancelled_at, e.starts_at
      INTO target
      FROM public.event_items i JOIN public.events e ON e.id = i.event_id
     WHERE i.id = volunteer_for_item.item
       FOR UPDATE OF i;
    IF NOT FOUND OR me IS NULL THEN
        RETURN 'unknown';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.club_members m
                    WHERE m.club_id = target.club_id AND m.user_id = me AND m.is_active) THEN
        RETURN 'not_member';
    END IF;
    IF target.cancelled_at IS NOT NULL OR target.starts_at <= now() THEN
        RETURN 'closed';
    END IF;
    IF target.category NOT IN ('task', 'material') THEN
        RETURN 'not_a_task';
    END IF;
    IF target.assigned_to = me THEN
        RETURN 'already_yours';
    END IF;
    IF target.assigned_to IS NOT NULL THEN
        RETURN 'taken';
    END IF;
    UPDATE public.event_items SET assigned_to = me WHERE id = target.id;
    RETURN 'taken_on';
END
$$;

REVOKE ALL ON FUNCTION bookwork_private.volunteer_for_item(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.volunteer_for_item(uuid) TO bookwork_app;
