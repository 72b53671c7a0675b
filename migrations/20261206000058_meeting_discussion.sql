-- A discussion per meeting, beside those per section: a comment belongs to
-- exactly one of a section or a meeting. A meeting's discussion is not
-- gated by reading progress (a meeting is about the book as a whole);
-- inline spoiler marks serve it. A reply is in its parent's discussion,
-- as before: the keys say so for meetings as they do for sections.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE public.comments
    ALTER COLUMN section_id DROP NOT NULL,
    ADD COLUMN event_id uuid,
    ADD CONSTRAINT comments_one_discussion CHECK ((section_id IS NULL) <> (event_id IS NULL)),
    ADD CONSTRAINT comments_id_event UNIQUE (id, event_id),
    -- A deleted meeting takes its discussion with it, as it takes its
    -- questions.
    ADD CONSTRAINT comments_event_fkey FOREIGN KEY (event_id, club_id)
        REFERENCES public.events (id, club_id) ON DELETE CASCADE,
    ADD CONSTRAINT comments_parent_event_fkey FOREIGN KEY (parent_id, event_id)
        REFERENCES public.comments (id, event_id) ON DELETE CASCADE;
CREATE INDEX comments_event ON public.comments (event_id, created_at) WHERE event_id IS NOT NULL;

-- What a notice about a comment says: where it was written (a section of a
-- book, or a meeting), never what it says.
CREATE FUNCTION bookwork_private.discussion_payload(section uuid, event uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT COALESCE(bookwork_private.section_payload(section), (
        SELECT jsonb_build_object('club_id', c.id, 'club_name', c.name,
                                  'event_id', e.id, 'event_title', e.title)
          FROM public.events e JOIN public.clubs c ON c.id = e.club_id
         WHERE e.id = event))
$$;
REVOKE ALL ON FUNCTION bookwork_private.discussion_payload(uuid, uuid) FROM PUBLIC;

CREATE OR REPLACE FUNCTION bookwork_private.notify_comment(comment uuid, mentioned uuid[]) RETURNS bigint
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
    payload := bookwork_private.discussion_payload(c.section_id, c.event_id) || jsonb_build_object(
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

-- A reader's writing names the meeting for a meeting's comments.
CREATE OR REPLACE FUNCTION bookwork_private.my_writing() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'comments', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'club', c.name, 'book', b.title, 'section', s.title, 'meeting', e.title,
                       'posted_at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       'edited', m.edited_at IS NOT NULL, 'reply', m.parent_id IS NOT NULL,
                       'text', m.body) ORDER BY m.created_at, m.id)
              FROM public.comments m
              LEFT JOIN public.reading_sections s ON s.id = m.section_id
              LEFT JOIN public.books b ON b.id = s.book_id
              LEFT JOIN public.events e ON e.id = m.event_id
              JOIN public.clubs c ON c.id = m.club_id
             WHERE m.author_id = bookwork_private.viewer() AND m.deleted_at IS NULL), '[]'::jsonb),
        'questions', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'club', c.name, 'meeting', e.title, 'text', q.text, 'about', s.title,
                       'picked', q.position IS NOT NULL) ORDER BY q.created_at, q.id)
              FROM public.meeting_questions q
              JOIN public.events e ON e.id = q.event_id
              JOIN public.clubs c ON c.id = q.club_id
              LEFT JOIN public.reading_sections s ON s.id = q.section_id
             WHERE q.author_id = bookwork_private.viewer()), '[]'::jsonb))
$$;
