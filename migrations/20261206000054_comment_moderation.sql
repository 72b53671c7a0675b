-- Moderating discussions: the club's people report a comment; the club's
-- admins (and site moderators and admins) hide it with a reason that only
-- they read, see what was reported and hidden, and show it again.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE public.comments
    ADD COLUMN hidden_at timestamptz,
    ADD COLUMN hidden_by uuid REFERENCES public.users (id) ON DELETE SET NULL,
    ADD COLUMN hidden_reason text
        CONSTRAINT comments_hidden_reason CHECK (btrim(hidden_reason) <> '' AND char_length(hidden_reason) <= 500),
    ADD CONSTRAINT comments_hidden_with_reason CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL)),
    ADD CONSTRAINT comments_id_club UNIQUE (id, club_id);
CREATE INDEX comments_hidden_by ON public.comments (hidden_by);
CREATE INDEX comments_hidden ON public.comments (club_id, hidden_at) WHERE hidden_at IS NOT NULL;

-- Hiding is the moderators' alone, through `moderate_comment`: the server's
-- login changes only what an author changes.
REVOKE UPDATE ON public.comments FROM bookwork_app;
GRANT UPDATE (body, edited_at, deleted_at, revision) ON public.comments TO bookwork_app;

CREATE TABLE public.comment_reports (
    comment_id  uuid NOT NULL,
    club_id     uuid NOT NULL,
    reporter_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    reason      text NOT NULL
                CONSTRAINT comment_reports_reason CHECK (btrim(reason) <> '' AND char_length(reason) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Dealt with: the comment was hidden (or kept) by a moderator.
    resolved_at timestamptz,
    PRIMARY KEY (comment_id, reporter_id),
    FOREIGN KEY (comment_id, club_id) REFERENCES public.comments (id, club_id) ON DELETE CASCADE
);
CREATE INDEX comment_reports_club ON public.comment_reports (club_id) WHERE resolved_at IS NULL;
CREATE INDEX comment_reports_reporter ON public.comment_reports (reporter_id);

-- Row security: a reporter sees their own reports; the club's admins and
-- site staff see the club's. The club's people report in their own name.
ALTER TABLE public.comment_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.comment_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY comment_reports_read ON public.comment_reports FOR SELECT USING (
    reporter_id = (SELECT bookwork_private.viewer())
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY comment_reports_file ON public.comment_reports FOR INSERT WITH CHECK (
    reporter_id = (SELECT bookwork_private.viewer())
    AND resolved_at IS NULL
    AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[]));
CREATE POLICY owner_comment_reports ON public.comment_reports TO bookwork_owner USING (true) WITH CHECK (true);

-- Hides a comment with `reason`, or shows it again when `reason` is null,
-- and settles its open reports. Runs as the owner (the server's login may
-- not write these columns); lets only the comment's club's admins and site
-- staff do it. False when the comment is not theirs to moderate.
CREATE FUNCTION bookwork_private.moderate_comment(comment uuid, reason text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    club uuid;
BEGIN
    SELECT c.club_id INTO club FROM public.comments c WHERE c.id = comment;
    IF club IS NULL OR NOT (club = ANY (bookwork_private.viewer_club_ids('admin'))
                            OR bookwork_private.viewer_is_staff()) THEN
        RETURN false;
    END IF;
    UPDATE public.comments
       SET hidden_at = CASE WHEN reason IS NULL THEN NULL ELSE now() END,
           hidden_by = CASE WHEN reason IS NULL THEN NULL ELSE bookwork_private.viewer() END,
           hidden_reason = reason
     WHERE id = comment;
    UPDATE public.comment_reports SET resolved_at = now()
     WHERE comment_id = comment AND resolved_at IS NULL;
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.moderate_comment(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.moderate_comment(uuid, text) TO bookwork_app;
