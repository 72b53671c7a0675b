-- Everything a reader wrote (discussion comments, meeting questions), for
-- them to download, in every club, including clubs they have left, whose
-- rows row security no longer shows them. Runs as the owner and reads only
-- the viewer's own writing.
SET LOCAL ROLE bookwork_owner;

CREATE FUNCTION bookwork_private.my_writing() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'comments', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'club', c.name, 'book', b.title, 'section', s.title,
                       'posted_at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       'edited', m.edited_at IS NOT NULL, 'reply', m.parent_id IS NOT NULL,
                       'text', m.body) ORDER BY m.created_at, m.id)
              FROM public.comments m
              JOIN public.reading_sections s ON s.id = m.section_id
              JOIN public.books b ON b.id = s.book_id
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
REVOKE ALL ON FUNCTION bookwork_private.my_writing() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.my_writing() TO bookwork_app;
