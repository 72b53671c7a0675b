-- Notices about reading together, each a kind a member can turn off: a
-- reply to my comment, a mention of me, and a section's target date
-- tomorrow when I have not finished it. None carries what a comment says:
-- a notice reaches people who may not have reached the section.
SET LOCAL ROLE bookwork_owner;

ALTER DOMAIN notification_kind DROP CONSTRAINT notification_kind_check;
ALTER DOMAIN notification_kind ADD CONSTRAINT notification_kind_check CHECK (VALUE IN (
    'reminder', 'waitlist_promoted', 'event_new', 'event_changed', 'event_cancelled',
    'task_assigned', 'invitation', 'poll_opened', 'poll_closing',
    'join_requested', 'join_answered', 'hosting',
    'comment_reply', 'mention', 'reading_target'));

-- The target date the "tomorrow" notice went out for, so it goes once per
-- date (a section moved to a later date is noticed again).
ALTER TABLE public.reading_sections ADD COLUMN target_noticed date;

-- What a notice about a section says, without any comment's text.
CREATE FUNCTION bookwork_private.section_payload(section uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'club_id', c.id, 'club_name', c.name, 'section_id', s.id, 'section_title', s.title,
        'book_id', b.id, 'book_title', b.title)
      FROM public.reading_sections s
      JOIN public.books b ON b.id = s.book_id
      JOIN public.clubs c ON c.id = s.club_id
     WHERE s.id = section
$$;
REVOKE ALL ON FUNCTION bookwork_private.section_payload(uuid) FROM PUBLIC;

-- Tells whom a new comment concerns: the author of the comment it answers
-- ('comment_reply') and the club's members it mentions ('mention'; not
-- twice to one person, not to the writer). Only its writer may, in the
-- transaction that posted it. Runs as the owner because the writer may
-- not write others' notifications.
CREATE FUNCTION bookwork_private.notify_comment(comment uuid, mentioned uuid[]) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    c public.comments;
    answered uuid;
    payload jsonb;
    told bigint := 0;
BEGIN
    SELECT * INTO c FROM public.comments WHERE id = comment;
    IF c.id IS NULL OR c.author_id IS DISTINCT FROM bookwork_private.viewer() OR c.created_at <> now() THEN
        RETURN 0;
    END IF;
    payload := bookwork_private.section_payload(c.section_id) || jsonb_build_object(
        'comment_id', c.id,
        'actor', (SELECT u.name FROM public.users u WHERE u.id = c.author_id));
    SELECT p.author_id INTO answered
      FROM public.comments p
      JOIN public.club_members m ON m.club_id = p.club_id AND m.user_id = p.author_id AND m.is_active
     WHERE p.id = c.parent_id AND p.author_id <> c.author_id;
    IF answered IS NOT NULL THEN
        told := told + (SELECT count(*) FROM bookwork_private.notify('comment_reply', ARRAY[answered], payload));
    END IF;
    told := told + (SELECT count(*) FROM bookwork_private.notify('mention',
        ARRAY(SELECT m.user_id FROM public.club_members m
               WHERE m.club_id = c.club_id AND m.is_active AND m.user_id = ANY (mentioned)
                 AND m.user_id <> c.author_id AND m.user_id IS DISTINCT FROM answered),
        payload));
    RETURN told;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.notify_comment(uuid, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.notify_comment(uuid, uuid[]) TO bookwork_app;

-- Claims sections of books being read whose target date is tomorrow in
-- the club's zone and not yet noticed, and tells the club's members who
-- have not finished them. Taken once per date by whichever instance's
-- worker gets there first.
CREATE FUNCTION bookwork_private.take_reading_targets(batch integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    r record;
    taken integer := 0;
BEGIN
    FOR r IN SELECT s.id, s.club_id, s.target_date
               FROM public.reading_sections s
               JOIN public.clubs c ON c.id = s.club_id
               JOIN public.books b ON b.id = s.book_id AND b.shelf = 'reading'
              WHERE s.target_date = (now() AT TIME ZONE c.time_zone)::date + 1
                AND s.target_noticed IS DISTINCT FROM s.target_date
              ORDER BY s.id LIMIT batch
                FOR UPDATE OF s SKIP LOCKED
    LOOP
        UPDATE public.reading_sections SET target_noticed = r.target_date WHERE id = r.id;
        taken := taken + 1;
        PERFORM bookwork_private.notify(
            'reading_target',
            ARRAY(SELECT m.user_id FROM public.club_members m
                   WHERE m.club_id = r.club_id AND m.is_active
                     AND NOT EXISTS (SELECT 1 FROM public.reading_marks k
                                      WHERE k.section_id = r.id AND k.user_id = m.user_id)),
            bookwork_private.section_payload(r.id)
                || jsonb_build_object('target_date', to_char(r.target_date, 'Dy FMDD Mon')));
    END LOOP;
    RETURN taken;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.take_reading_targets(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.take_reading_targets(integer) TO bookwork_app;
