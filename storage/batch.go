package storage

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

// Follow-ups are committed in groups: while a group's statement runs, the follow-ups that
// arrive wait, and the next statement carries all of them. This is group commit, as
// Postgres does it for its WAL. Nobody waits for company: a follow-up that finds no group
// under way goes at once, alone, as the single-row statement. Under load one statement, one
// round trip and one commit carry dozens of quick logs, which spreads their fixed cost (the
// database's share of a quick log falls to about a quarter, BENCHMARKS.md). Each caller
// still hears back only once its own group committed: "saved" still means stored.

// maxGroup bounds a group: a statement of a few dozen rows is quick to plan and to run,
// and a bigger one would only make its first caller wait for the last.
const maxGroup = 64

// groupWorkers is how many groups may be in flight at once, each on its own connection.
const groupWorkers = 2

// groupTimeout bounds a group's statement, which runs on a context of its own (see
// groupDeadline): a caller that gives up after its follow-up joined a group cannot cancel
// the others'.
const groupTimeout = 30 * time.Second

// pendingFollowUp is a follow-up waiting for its group.
type pendingFollowUp struct {
	ctx  context.Context
	nf   followup.NewFollowUp
	done chan followUpResult // buffered: the worker never waits on a caller
}

type followUpResult struct {
	fu  followup.FollowUp
	err error
}

// grouper collects follow-ups into groups and commits them.
type grouper struct {
	db    *DB
	queue chan *pendingFollowUp
	wg    sync.WaitGroup

	mu     sync.RWMutex // held shared while sending, so close never closes queue under a sender
	closed bool
}

func newGrouper(db *DB) *grouper {
	g := &grouper{db: db, queue: make(chan *pendingFollowUp, 4*maxGroup)}
	for range groupWorkers {
		g.wg.Go(g.work)
	}
	return g
}

// close refuses new follow-ups, commits those already waiting and stops the workers.
func (g *grouper) close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.queue)
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// create commits nf with whatever group it lands in and returns its own outcome.
func (g *grouper) create(ctx context.Context, nf followup.NewFollowUp) (followup.FollowUp, error) {
	p := &pendingFollowUp{ctx: ctx, nf: nf, done: make(chan followUpResult, 1)}
	if !g.send(ctx, p) {
		if err := ctx.Err(); err != nil {
			return followup.FollowUp{}, err
		}
		return followup.FollowUp{}, unavailable()
	}
	// Once queued it is committed or not by its group: wait for the answer, whatever ctx
	// says now, so that nobody is told "not saved" about a follow-up that was.
	r := <-p.done
	return r.fu, r.err
}

// send queues p, unless the grouper is closed or ctx ends first.
func (g *grouper) send(ctx context.Context, p *pendingFollowUp) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return false
	}
	select {
	case g.queue <- p:
		return true
	case <-ctx.Done():
		return false
	}
}

// work takes the first follow-up waiting, then every other one already waiting (up to
// maxGroup, one per customer: two follow-ups of a customer would touch its row twice in one
// statement), and commits them together. A follow-up for a customer already in the group
// waits for the next one. Once the queue is closed and empty, work commits what it still
// holds and returns.
func (g *grouper) work() {
	var held []*pendingFollowUp // customers already in the group that took them
	open := true
	for open || len(held) > 0 {
		var group []*pendingFollowUp
		if len(held) > 0 {
			// A group of its own, not held[:1]: appending to that would overwrite held[1].
			group, held = []*pendingFollowUp{held[0]}, held[1:]
		} else {
			p, ok := <-g.queue
			if !ok {
				return
			}
			group = append(group, p)
		}
		customers := map[int64]bool{group[0].nf.CustomerID: true}
	gather:
		for open && len(group) < maxGroup {
			select {
			case p, ok := <-g.queue:
				if !ok {
					open = false
					break gather
				}
				if customers[p.nf.CustomerID] {
					held = append(held, p)
					continue
				}
				customers[p.nf.CustomerID] = true
				group = append(group, p)
			default:
				break gather
			}
		}
		g.commit(group)
	}
}

// commit runs the group's statement and tells each caller. A follow-up whose caller gave
// up before its group started is left out, unsaved. A group that fails as a whole (one
// row breaks a rule the database enforces) is committed again row by row, so that each
// follow-up meets only its own fate.
func (g *grouper) commit(group []*pendingFollowUp) {
	live := group[:0]
	for _, p := range group {
		if err := p.ctx.Err(); err != nil {
			p.done <- followUpResult{err: err}
			continue
		}
		live = append(live, p)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithDeadline(context.Background(), groupDeadline(live))
	defer cancel()
	now := g.db.now()
	if len(live) > 1 {
		created, err := g.db.createFollowUps(ctx, now, live)
		if err == nil {
			for _, p := range live {
				fu, ok := created[p.nf.CustomerID]
				if !ok {
					p.done <- followUpResult{err: errCustomerGone}
					continue
				}
				p.done <- followUpResult{fu: fu}
			}
			return
		}
		if followup.ErrorCode(mapError(err)) == followup.EUNAVAILABLE {
			for _, p := range live {
				p.done <- followUpResult{err: mapError(err)}
			}
			return
		}
	}
	for _, p := range live {
		fu, err := g.db.createOne(ctx, now, p.nf)
		p.done <- followUpResult{fu: fu, err: err}
	}
}

// groupDeadline is the latest of the callers' deadlines, at most groupTimeout away: the
// group's statement may take as long as its most patient caller waits.
func groupDeadline(group []*pendingFollowUp) time.Time {
	limit := time.Now().Add(groupTimeout)
	var latest time.Time
	for _, p := range group {
		d, ok := p.ctx.Deadline()
		if !ok || d.After(limit) {
			return limit
		}
		if d.After(latest) {
			latest = d
		}
	}
	return latest
}

// errCustomerGone is a follow-up's answer when its customer was deleted meanwhile.
var errCustomerGone = followup.FieldErrors{"customer": "That customer no longer exists."}

// createFollowUpsSQL is createFollowUpSQL for many follow-ups, each of another customer,
// given as arrays ($1-$13, one element per follow-up; "" for no next step and no stage)
// and committed at $14. Rows are told apart by their customer. The customers are locked in
// id order, so two groups never wait on each other's locks in a circle.
const createFollowUpsSQL = `
WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
        AS i(customer_id, rep_id, happened_at, method, summary, feedback, mood, source, stage, owner_id,
             next_text, next_due, lost_reason)
), old AS (
    SELECT c.id, c.stage FROM customers c WHERE c.id IN (SELECT customer_id FROM input) ORDER BY c.id FOR UPDATE
), touched AS (
    UPDATE customers c SET
        last_touch_at = GREATEST(c.last_touch_at, i.happened_at),
        stage = COALESCE(NULLIF(i.stage, ''), c.stage),
        lost_reason = CASE WHEN i.stage = '' OR i.stage = old.stage THEN c.lost_reason
                           WHEN i.stage = 'lost' THEN i.lost_reason ELSE '' END,
        updated_at = $14::timestamptz
    FROM input i JOIN old ON old.id = i.customer_id
    WHERE c.id = i.customer_id
    RETURNING c.id AS customer_id, old.stage AS old_stage
), fu AS (
    INSERT INTO follow_ups (customer_id, rep_id, happened_at, method, summary, feedback, mood, source, created_at)
    SELECT i.customer_id, i.rep_id, i.happened_at, i.method, i.summary, i.feedback, i.mood, i.source, $14
    FROM input i JOIN touched t ON t.customer_id = i.customer_id
    RETURNING ` + followUpColumns + `
), act AS (
    INSERT INTO next_actions (customer_id, follow_up_id, owner_id, text, due_at, created_at, updated_at)
    SELECT i.customer_id, fu.id, i.owner_id, i.next_text, i.next_due::timestamptz, $14, $14
    FROM fu JOIN input i ON i.customer_id = fu.customer_id
    WHERE i.next_text <> ''
    RETURNING ` + actionColumns + `
), moved AS (
    INSERT INTO stage_changes (customer_id, from_stage, to_stage, lost_reason, changed_by, changed_at)
    SELECT i.customer_id, t.old_stage, i.stage, CASE WHEN i.stage = 'lost' THEN i.lost_reason ELSE '' END, i.rep_id, $14
    FROM touched t JOIN input i ON i.customer_id = t.customer_id
    WHERE i.stage <> '' AND i.stage <> t.old_stage
)
SELECT fu.id, fu.customer_id, fu.rep_id, fu.happened_at, fu.method, fu.summary, fu.feedback, fu.mood,
       fu.source, fu.created_at,
       act.id AS a_id, act.owner_id AS a_owner_id, act.text AS a_text, act.due_at AS a_due_at,
       act.status AS a_status, act.created_at AS a_created_at
FROM fu LEFT JOIN act ON act.customer_id = fu.customer_id`

// createFollowUps commits the group in one statement and returns its follow-ups by
// customer; a follow-up whose customer is gone has none.
func (db *DB) createFollowUps(ctx context.Context, now time.Time, group []*pendingFollowUp) (map[int64]followup.FollowUp, error) {
	n := len(group)
	customers := make([]int64, n)
	var reps, happened, methods, summaries, feedback, moods, sources, stages, owners, texts, dues, reasons = make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, p := range group {
		nf := p.nf
		customers[i], reps[i], happened[i] = nf.CustomerID, nf.RepID, nf.HappenedAt.UTC().Format(time.RFC3339Nano)
		methods[i], summaries[i], feedback[i], moods[i] = string(nf.Method), nf.Summary, nf.Feedback, string(nf.Mood)
		sources[i], stages[i], reasons[i] = nf.Source, string(nf.Stage), string(nf.LostReason)
		if nf.Next != nil {
			owners[i], texts[i], dues[i] = nf.Next.OwnerID, nf.Next.Text, nf.Next.DueAt.UTC().Format(time.RFC3339Nano)
		} else {
			dues[i] = now.UTC().Format(time.RFC3339Nano) // unused: no next step is inserted
		}
	}
	var rows []createdFollowUpRow
	err := db.selectPrepared(ctx, &rows, createFollowUpsSQL, pq.Array(customers), pq.Array(reps), pq.Array(happened),
		pq.Array(methods), pq.Array(summaries), pq.Array(feedback), pq.Array(moods), pq.Array(sources), pq.Array(stages),
		pq.Array(owners), pq.Array(texts), pq.Array(dues), pq.Array(reasons), now)
	if err != nil {
		return nil, fmt.Errorf("insert follow-ups: %w", err)
	}
	out := make(map[int64]followup.FollowUp, len(rows))
	for _, r := range rows {
		out[r.CustomerID] = r.followUp()
	}
	return out, nil
}

// createOne commits one follow-up with the single-row statement.
func (db *DB) createOne(ctx context.Context, now time.Time, nf followup.NewFollowUp) (followup.FollowUp, error) {
	st, err := db.stmt(ctx, createFollowUpSQL)
	if err != nil {
		return followup.FollowUp{}, err
	}
	fu, err := createFollowUp(ctx, st, now, nf)
	return fu, mapError(err)
}
