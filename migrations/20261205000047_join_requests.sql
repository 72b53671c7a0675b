-- Asking to join: a public club may choose to take new members by request.
-- Someone signed in asks (with a short note to the admins); the club's
-- admins (and site admins) approve or decline; the asker is told either
-- way. Approving adds the member under the same lock and limit as a join.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE public.clubs ADD COLUMN join_by_request boolean NOT NULL DEFAULT false;

CREATE TABLE public.join_requests (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id    uuid NOT NULL REFERENCES public.clubs (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    message    text NOT NULL DEFAULT ''
               CONSTRAINT join_requests_message_length CHECK (char_length(message) <= 500),
    status     text NOT NULL DEFAULT 'pending'
               CONSTRAINT join_requests_status CHECK (status IN ('pending', 'approved', 'declined', 'withdrawn')),
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    decided_by uuid REFERENCES public.users (id) ON DELETE SET NULL,
    -- A request is answered exactly when it is no longer waiting.
    CONSTRAINT join_requests_decided CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- One waiting request per person and club (two tabs asking at once: one row).
CREATE UNIQUE INDEX join_requests_one_waiting ON public.join_requests (club_id, user_id)
    WHERE status = 'pending';
CREATE INDEX join_requests_club_waiting ON public.join_requests (club_id, created_at)
    WHERE status = 'pending';
CREATE INDEX join_requests_user ON public.join_requests (user_id, club_id, created_at);
CREATE INDEX join_requests_decided_by ON public.join_requests (decided_by);

-- Row security: the asker sees their own requests and may insert one for
-- themself, waiting, to a public club that takes requests, and withdraw
-- it; the club's admins (and site admins) see the club's and answer them.
ALTER TABLE public.join_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.join_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY join_requests_read ON public.join_requests FOR SELECT USING (
    user_id = (SELECT bookwork_private.viewer())
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY join_requests_ask ON public.join_requests FOR INSERT WITH CHECK (
    user_id = (SELECT bookwork_private.viewer())
    AND status = 'pending'
    AND coalesce((SELECT c.is_public AND c.join_by_request FROM public.clubs c
                   WHERE c.id = join_requests.club_id), false));
CREATE POLICY join_requests_withdraw ON public.join_requests FOR UPDATE
    USING (user_id = (SELECT bookwork_private.viewer()) AND status = 'pending')
    WITH CHECK (user_id = (SELECT bookwork_private.viewer()) AND status = 'withdrawn');
CREATE POLICY join_requests_answer ON public.join_requests FOR UPDATE
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
                OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY owner_join_requests ON public.join_requests TO bookwork_owner USING (true) WITH CHECK (true);

ALTER DOMAIN notification_kind DROP CONSTRAINT notification_kind_check;
ALTER DOMAIN notification_kind ADD CONSTRAINT notification_kind_check CHECK (VALUE IN (
    'reminder', 'waitlist_promoted', 'event_new', 'event_changed', 'event_cancelled',
    'task_assigned', 'invitation', 'poll_opened', 'poll_closing',
    'join_requested', 'join_answered'));

-- Tells whoever a request concerns, in the transaction that changed it and
-- only by the person who changed it: a new request goes to the club's
-- admins (`join_requested`), an answer to the asker (`join_answered`).
-- Runs as the owner because the asker may not see the admins, nor an admin
-- every account; the checks stop anyone telling people about a request
-- they did not just make or answer.
CREATE FUNCTION bookwork_private.notify_join_request(request uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    r record;
    told bigint;
BEGIN
    SELECT q.id, q.club_id, q.user_id, q.message, q.status, q.created_at, q.decided_at, q.decided_by,
           c.name AS club_name, u.name AS asker_name
      INTO r
      FROM public.join_requests q
      JOIN public.clubs c ON c.id = q.club_id
      JOIN public.users u ON u.id = q.user_id
     WHERE q.id = request;
    IF NOT FOUND OR me IS NULL THEN
        RETURN 0;
    END IF;
    IF r.status = 'pending' AND r.user_id = me AND r.created_at = now() THEN
        SELECT count(*) INTO told FROM bookwork_private.notify(
            'join_requested',
            ARRAY(SELECT m.user_id FROM public.club_members m
                   WHERE m.club_id = r.club_id AND m.is_active AND m.role = 'admin'),
            jsonb_build_object('club_id', r.club_id, 'club_name', r.club_name,
                               'actor', r.asker_name, 'message', r.message));
        RETURN told;
    END IF;
    IF r.status IN ('approved', 'declined') AND r.decided_by = me AND r.decided_at = now() THEN
        SELECT count(*) INTO told FROM bookwork_private.notify(
            'join_answered', ARRAY[r.user_id],
            jsonb_build_object('club_id', r.club_id, 'club_name', r.club_name,
                               'decision', r.status));
        RETURN told;
    END IF;
    RETURN 0;
END
$$;

REVOKE EXECUTE ON FUNCTION bookwork_private.notify_join_request(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.notify_join_request(uuid) TO bookwork_app;
