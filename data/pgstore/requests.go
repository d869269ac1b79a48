package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// PreviewRequest checks a draft and proposes its payment without storing
// anything. The error is for a store failure; a draft that cannot be
// submitted says why in Problem. Its facts are one round trip; only a
// child due a new contract year's credit costs a write first.
func (db *DB) PreviewRequest(ctx context.Context, d data.RequestDraft) (data.RequestPreview, error) {
	today := db.Today()
	var r draftReads
	read := func() error { return db.viewBatch(ctx, func(b *pgx.Batch) { r.queue(b, d, today) }) }
	if err := read(); err != nil {
		return data.RequestPreview{}, err
	}
	if due, err := r.dueGrants(today); err != nil {
		return data.RequestPreview{}, err
	} else if len(due) > 0 {
		if err := db.ensureGrants(ctx, data.AuditGrantOnPreview, d.ChildID); err != nil {
			return data.RequestPreview{}, err
		}
		if err := read(); err != nil {
			return data.RequestPreview{}, err
		}
	}
	d, problem := data.DraftChannel(db.actor, d, today, r.settings)
	if problem != nil {
		return data.RequestPreview{Problem: problem}, nil
	}
	rc, problem := r.facts(d, today)
	p := rc.Preview(d, problem)
	if rc.Proposes(d) {
		p.Proposal = data.Propose(d.Spec(), r.ledger)
	}
	return p, nil
}

// liveRequest finds an open or approved request of the child on d.
func liveRequest(ctx context.Context, q querier, childID data.ID, d data.Date) (data.ID, bool, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM requests WHERE child_id = $1 AND day = $2 AND status IN ($3, $4) ORDER BY id LIMIT 1`,
		int64(childID), dateArg(d), string(data.StatusOpen), string(data.StatusApproved)).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("requests of child %d on %s: %w", childID, d, err)
	}
	return data.ID(id), true, nil
}

// SubmitRequest stores a request with the payment the user accepted, and
// reserves its credit in the same transaction (R7). Every rule is checked
// again inside the transaction: a payment that no longer matches the
// child's credit (another request reserved it meanwhile, through this hub
// or another) fails with a *PaymentChangedError holding a fresh proposal,
// and nothing is stored. Invoicing what credit could pay needs an override
// reason (R3). The transaction reads the draft's facts in one round trip
// and writes the credit and the request in one.
func (db *DB) SubmitRequest(ctx context.Context, d data.RequestDraft, pay data.Payment) (data.Request, error) {
	var req data.Request
	now := db.now()
	today := data.DateOf(now)
	var r draftReads
	err := db.updateBatched(ctx, data.AuditSubmitRequest, func(b *pgx.Batch) { r.queue(b, d, today) }, func(tx pgx.Tx, changed *[]data.Change, _ *pgx.Batch) error {
		if db.actor != nil {
			if r.day.groupAbsent {
				return notFound(pgx.ErrNoRows, "group", d.GroupID)
			}
			if err := db.actor.Can(data.ActRequest, 0, r.day.group); err != nil {
				return err
			}
		}
		d, err := data.DraftChannel(db.actor, d, today, r.settings)
		if err != nil {
			return err
		}
		pay := pay // a retry starts from the payment the user accepted
		req, err = submitRequest(ctx, tx, &r, d, &pay, now, changed)
		return err
	})
	if err != nil {
		return data.Request{}, err
	}
	return req, nil
}

// submitRequest is SubmitRequest's transaction on the draft's facts r, at
// the moment now. A nil pay takes the payment the rules propose.
func submitRequest(ctx context.Context, tx pgx.Tx, r *draftReads, d data.RequestDraft, pay *data.Payment, now time.Time, changed *[]data.Change) (data.Request, error) {
	today := data.DateOf(now)
	rc, problem := r.facts(d, today)
	if problem != nil {
		return data.Request{}, problem
	}
	if err := data.CheckCapacity(rc.Group, d.Date, rc.Occupancy, d.OverCapacity); err != nil {
		return data.Request{}, err
	}
	due, err := r.dueGrants(today)
	if err != nil {
		return data.Request{}, err
	}
	if len(due) > 0 {
		if err := grant(ctx, tx, d.ChildID, due, changed); err != nil {
			return data.Request{}, err
		}
		if r.ledger, err = childLedger(ctx, tx, d.ChildID, today); err != nil {
			return data.Request{}, err
		}
	}
	paid, err := data.PaymentToReserve(d.Spec(), pay, r.ledger)
	if err != nil {
		return data.Request{}, err
	}
	// The credit and the request in one round trip. It goes before the
	// audit entry's, which names the ID the request gets: an ID taken
	// before the rules had passed would leave gaps where bbolt has none.
	req := data.SubmittedRequest(d, paid, now)
	w := &pgx.Batch{}
	if err := movePayment(r.ledger, req, unrefused(data.ReserveCredit), w); err != nil {
		return data.Request{}, err
	}
	if err := queueInsertRequest(w, req, &req.ID); err != nil {
		return data.Request{}, err
	}
	if err := sendWrites(ctx, tx, w, fmt.Sprintf("the request of child %d on %s", req.ChildID, req.Date)); err != nil {
		return data.Request{}, err
	}
	*changed = append(*changed, req.SubmitChanges()...)
	return req, nil
}

// queueInsertRequest queues storing a new request in w; the ID it gets
// goes to *id when w is sent.
func queueInsertRequest(w *pgx.Batch, r data.Request, id *data.ID) error {
	payment, err := json.Marshal(r.Payment)
	if err != nil {
		return err
	}
	w.Queue(`INSERT INTO requests (child_id, group_id, day, from_min, until_min, product, channel, requested_by,
			over_capacity, submitted_at, payment, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		int64(r.ChildID), int64(r.GroupID), dateArg(r.Date), int16(r.Times.From), int16(r.Times.Until), string(r.Product),
		string(r.Channel), r.By, r.OverCapacity, r.SubmittedAt, payment, string(r.Status)).QueryRow(func(row pgx.Row) error {
		var got int64
		err := row.Scan(&got)
		*id = data.ID(got)
		return err
	})
	return nil
}

// ApproveRequest approves an open request: its reserved credit is spent,
// and the child is on that day's list at once (A2).
func (db *DB) ApproveRequest(ctx context.Context, id data.ID, by string) error {
	return db.decide(ctx, data.AuditApproveRequest, id, data.ActApprove, by, "", decision{onList: true, change: approve})
}

// A decision changes an open (or approved) request inside decide's
// transaction, on facts read with the request; the writes it queues in w
// go to the server with the request's own, in one round trip.
type decision struct {
	onList bool // it reads the child's place on the day's list
	change func(r *data.Request, now time.Time, facts *decisionFacts, changed *[]data.Change, w *pgx.Batch) error
}

// decisionFacts are what a decision reads of a request besides the
// request: the credit its payment uses and, when the decision asks, the
// child's place on the day's list.
type decisionFacts struct {
	entries []data.CreditEntry
	onList  *dayReads
}

// queueDecisionFacts queues reading the facts of a decision d on request
// id in b; each query finds the request's child, group and day by itself.
func queueDecisionFacts(b *pgx.Batch, id data.ID, d decision) *decisionFacts {
	f := &decisionFacts{}
	args := pgx.NamedArgs{"request": int64(id)}
	b.Queue(`SELECT `+creditColumns+` FROM credit_entries
		WHERE child_id = (SELECT child_id FROM requests WHERE id = @request)
			AND id IN (SELECT (a->>'entryId')::bigint FROM requests,
				jsonb_array_elements(CASE WHEN jsonb_typeof(payment->'allocations') = 'array' THEN payment->'allocations' ELSE '[]' END) AS a
				WHERE requests.id = @request)`, args).Query(func(rows pgx.Rows) (err error) {
		f.entries, err = collectCreditEntries(rows)
		return err
	})
	if d.onList {
		of := func(column string) string { return `(SELECT ` + column + ` FROM requests WHERE id = @request)` }
		f.onList = queueChildRow(b, of("group_id"), of("child_id"), of("day"), args)
		f.onList.absentGroupOK = true // a request gone: decide refuses it as such
	}
	return f
}

func approve(r *data.Request, _ time.Time, facts *decisionFacts, changed *[]data.Change, w *pgx.Batch) error {
	if err := data.CheckDecide(*r); err != nil {
		return err
	}
	if facts.onList.childRow(r.ChildID, r.Date).row.Source != "" { // expected already (A1)
		return data.Refuse(data.RefuseApproveExpected, data.Args{"Child": int(r.ChildID), "Date": r.Date})
	}
	if err := movePayment(facts.entries, *r, unrefused(data.SpendReserved), w); err != nil {
		return err
	}
	r.Status = data.StatusApproved
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	w.Queue(`INSERT INTO extras (day, group_id, child_id, from_min, until_min, source) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (day, group_id, child_id) DO UPDATE SET from_min = excluded.from_min, until_min = excluded.until_min, source = excluded.source`,
		dateArg(r.Date), int64(r.GroupID), int64(r.ChildID), int16(r.Times.From), int16(r.Times.Until), string(data.SourceRequest))
	return nil
}

// queueRemoveRequestExtra queues taking an approved request's child off
// that day's list, unless the extra there is no longer the request's.
func queueRemoveRequestExtra(w *pgx.Batch, r data.Request) {
	w.Queue(`DELETE FROM extras WHERE day = $1 AND group_id = $2 AND child_id = $3 AND source = $4`,
		dateArg(r.Date), int64(r.GroupID), int64(r.ChildID), string(data.SourceRequest))
}

// RejectRequest rejects an open request with a reason; its credit is given back (R7).
func (db *DB) RejectRequest(ctx context.Context, id data.ID, by, reason string) error {
	if err := data.CheckRejectReason(reason); err != nil {
		return err
	}
	return db.decide(ctx, data.AuditRejectRequest, id, data.ActApprove, by, reason, decision{change: reject})
}

func reject(r *data.Request, _ time.Time, facts *decisionFacts, _ *[]data.Change, w *pgx.Batch) error {
	if err := data.CheckDecide(*r); err != nil {
		return err
	}
	r.Status = data.StatusRejected
	return movePayment(facts.entries, *r, unrefused(data.ReleaseReserved), w)
}

// CancelRequest withdraws an open or approved request; its credit is given
// back (R7), and an approved one leaves that day's list. Care on a day gone
// by has been given, so an approved request of the past stays.
func (db *DB) CancelRequest(ctx context.Context, id data.ID, by, reason string) error {
	return db.decide(ctx, data.AuditCancelRequest, id, data.ActRequest, by, reason, cancelDecision)
}

var cancelDecision = decision{change: cancel}

func cancel(r *data.Request, now time.Time, facts *decisionFacts, changed *[]data.Change, w *pgx.Batch) error {
	if err := data.CheckCancel(*r, data.DateOf(now)); err != nil {
		return err
	}
	if r.Status == data.StatusOpen {
		r.Status = data.StatusCancelled
		return movePayment(facts.entries, *r, unrefused(data.ReleaseReserved), w)
	}
	r.Status = data.StatusCancelled
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	queueRemoveRequestExtra(w, *r)
	return movePayment(facts.entries, *r, unrefused(data.ReleaseSpent), w)
}

// decide runs a status change of one request in one transaction and
// records who made it. The request, its group and the decision's facts go
// with the BEGIN.
func (db *DB) decide(ctx context.Context, audit string, id data.ID, action data.Action, by, reason string, d decision) error {
	if err := data.CheckDecider(by); err != nil {
		return err
	}
	now := db.now()
	var requests []data.Request
	var groups []data.Group
	var facts *decisionFacts
	return db.updateBatched(ctx, audit, func(b *pgx.Batch) {
		b.Queue(`SELECT `+requestColumns+` FROM requests WHERE id = $1`, int64(id)).Query(func(rows pgx.Rows) (err error) {
			requests, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Request, error) { return scanRequest(row) })
			return err
		})
		b.Queue(`SELECT `+groupColumns+` FROM groups WHERE id = (SELECT group_id FROM requests WHERE id = $1)`, int64(id)).
			Query(func(rows pgx.Rows) (err error) {
				groups, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Group, error) { return scanGroup(row) })
				return err
			})
		facts = queueDecisionFacts(b, id, d)
	}, func(tx pgx.Tx, changed *[]data.Change, w *pgx.Batch) error {
		if len(requests) == 0 {
			return data.Refuse(data.RefuseRequestGone, data.Args{"Request": int(id)})
		}
		r := requests[0]
		if db.actor != nil {
			if len(groups) == 0 {
				return notFound(pgx.ErrNoRows, "group", r.GroupID)
			}
			if err := db.actor.Can(action, 0, groups[0]); err != nil {
				return err
			}
		}
		return decideOn(&r, by, reason, now, d, facts, changed, w)
	})
}

// decideRequest is a decision on request id inside a transaction of more:
// a study day's cancellation (DecideStudyDay) cancels its requests with it.
func decideRequest(ctx context.Context, tx pgx.Tx, id data.ID, by, reason string, now time.Time, d decision, changed *[]data.Change) error {
	b := &pgx.Batch{}
	var requests []data.Request
	b.Queue(`SELECT `+requestColumns+` FROM requests WHERE id = $1`, int64(id)).Query(func(rows pgx.Rows) (err error) {
		requests, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Request, error) { return scanRequest(row) })
		return err
	})
	facts := queueDecisionFacts(b, id, d)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("request %d: %w", id, err)
	}
	if len(requests) == 0 {
		return data.Refuse(data.RefuseRequestGone, data.Args{"Request": int(id)})
	}
	r := requests[0]
	w := &pgx.Batch{}
	if err := decideOn(&r, by, reason, now, d, facts, changed, w); err != nil {
		return err
	}
	return sendWrites(ctx, tx, w, fmt.Sprintf("request %d", r.ID))
}

// decideOn makes decision d on r at the moment now, and queues storing r
// in w.
func decideOn(r *data.Request, by, reason string, now time.Time, d decision, facts *decisionFacts, changed *[]data.Change, w *pgx.Batch) error {
	if err := d.change(r, now, facts, changed, w); err != nil {
		return err
	}
	*changed = append(*changed, r.RecordDecision(by, reason, now)...)
	return queueUpdateRequest(w, *r)
}

// readRequest reads a request to decide on; one that is gone (the list a
// user acts on is older than the data) is refused as not found.
func readRequest(ctx context.Context, q querier, id data.ID) (data.Request, error) {
	r, err := scanRequest(q.QueryRow(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = $1`, int64(id)))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return r, data.Refuse(data.RefuseRequestGone, data.Args{"Request": int(id)})
	case err != nil:
		return r, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// UndoDecision takes back an approval or rejection made moments ago by the
// same person: the request is open again with its credit reserved as when
// it was submitted (R7), an approved child leaves that day's list again, and
// the undo is a write of its own in the audit log.
func (db *DB) UndoDecision(ctx context.Context, id data.ID, by string) error {
	if err := data.CheckDecider(by); err != nil {
		return err
	}
	now := db.now()
	return db.updateBatched(ctx, data.AuditUndoDecision, nil, func(tx pgx.Tx, changed *[]data.Change, w *pgx.Batch) error {
		r, err := readRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActApprove, 0, r.GroupID); err != nil {
			return err
		}
		if err := data.CheckUndo(r, by, now); err != nil {
			return err
		}
		if err := reopen(ctx, tx, &r, changed, w); err != nil {
			return err
		}
		*changed = append(*changed, r.Reopen()...)
		return queueUpdateRequest(w, r)
	})
}

// reopen reverses approve or reject: spent credit is reserved again and the
// extra leaves the list; given-back credit is reserved again, if no other
// request has taken it meanwhile.
func reopen(ctx context.Context, tx pgx.Tx, r *data.Request, changed *[]data.Change, w *pgx.Batch) error {
	if r.Status == data.StatusRejected {
		if other, found, err := liveRequest(ctx, tx, r.ChildID, r.Date); err != nil {
			return err
		} else if found {
			return data.Refuse(data.RefuseReopenDuplicate, data.Args{"Date": r.Date, "Request": int(other)})
		}
		return moveCredit(ctx, tx, w, *r, data.ReserveAgain)
	}
	rec, found, err := recordedAttendance(ctx, tx, r.Date, r.GroupID, r.ChildID)
	if err != nil {
		return err
	}
	if err := data.CheckReopenRecorded(*r, rec, found); err != nil {
		return err
	}
	queueRemoveRequestExtra(w, *r)
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	return moveCredit(ctx, tx, w, *r, unrefused(data.UnspendToReserved))
}

// recordedAttendance reads what staff recorded for the child on d in the
// group, as far as its summary tells.
func recordedAttendance(ctx context.Context, q querier, d data.Date, groupID, childID data.ID) (data.Attendance, bool, error) {
	var a data.Attendance
	var in, out *int16
	err := q.QueryRow(ctx, `SELECT check_in, check_out, absent, absence_reason, absence_text, note FROM attendance
		WHERE day = $1 AND group_id = $2 AND child_id = $3`, dateArg(d), int64(groupID), int64(childID)).
		Scan(&in, &out, &a.Absent, &a.AbsenceReason, &a.AbsenceText, &a.Note)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return a, false, nil
	case err != nil:
		return a, false, fmt.Errorf("attendance of child %d on %s: %w", childID, d, err)
	}
	a.CheckIn, a.CheckOut = clockOf(in), clockOf(out)
	return a, true, nil
}

// moveCredit applies move to every entry the request's payment uses: it
// reads them in one round trip and queues storing them in w.
func moveCredit(ctx context.Context, tx pgx.Tx, w *pgx.Batch, r data.Request, move func(e *data.CreditEntry, minutes int) error) error {
	if len(r.Payment.Allocations) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	var entries []data.CreditEntry
	queuePaymentEntries(b, r, &entries)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("read the credit of request %d: %w", r.ID, err)
	}
	return movePayment(entries, r, move, w)
}

// unrefused is a credit move that cannot be refused, as moveCredit takes it.
func unrefused(move func(e *data.CreditEntry, minutes int)) func(e *data.CreditEntry, minutes int) error {
	return func(e *data.CreditEntry, m int) error {
		move(e, m)
		return nil
	}
}

// Request returns one request.
func (db *DB) Request(ctx context.Context, id data.ID) (data.Request, error) {
	var r data.Request
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		r, err = scanRequest(tx.QueryRow(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = $1`, int64(id)))
		return notFound(err, "request", id)
	})
	return r, err
}

// OpenRequests is the approval queue of a group (R6): open requests, the
// earliest day first. One round trip.
func (db *DB) OpenRequests(ctx context.Context, groupID data.ID) ([]data.QueueItem, error) {
	var q openQueue
	err := db.viewBatch(ctx, func(b *pgx.Batch) { q.queue(b, groupID) })
	return q.items(db.Today(), err)
}

// LocationQueue is the approval queue of every group of a location the
// handle's actor works in, in one list: the earliest day first, and of one
// day the request waiting longest first.
func (db *DB) LocationQueue(ctx context.Context, locationID data.ID) ([]data.QueueItem, error) {
	var out []data.QueueItem
	today := db.Today()
	err := db.view(ctx, func(tx pgx.Tx) error {
		out = nil
		groups, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups WHERE location_id = $1 ORDER BY id`, int64(locationID))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if db.actor != nil && !db.worksIn(g) {
				continue
			}
			items, err := groupQueue(ctx, tx, g.ID, today)
			if err != nil {
				return err
			}
			out = append(out, items...)
		}
		return nil
	})
	data.SortQueue(out)
	return out, err
}

// groupQueue reads one group's open requests, the earliest day first, each
// with its child and the occupancy of its day, in one round trip.
func groupQueue(ctx context.Context, q batcher, groupID data.ID, today data.Date) ([]data.QueueItem, error) {
	var oq openQueue
	b := &pgx.Batch{}
	oq.queue(b, groupID)
	return oq.items(today, q.SendBatch(ctx, b).Close())
}

// openQueue is what a group's approval queue is made of: its open
// requests, their children, and the group's lists of the requests' days.
type openQueue struct {
	requests []data.Request
	children map[data.ID]data.Child
	lists    dayReads
}

// queue queues the queue's reads: all in one batch, the days of the lists
// being those of the open requests.
func (oq *openQueue) queue(b *pgx.Batch, groupID data.ID) {
	args := pgx.NamedArgs{"group": int64(groupID)}
	// 'open' (data.StatusOpen) is written out: it is the condition of the
	// index of open requests, which a generic plan uses only if it sees it.
	open := `FROM requests WHERE group_id = @group AND status = 'open'`
	b.Queue(`SELECT `+requestColumns+` `+open+` ORDER BY day, id`, args).Query(func(rows pgx.Rows) (err error) {
		oq.requests, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Request, error) { return scanRequest(row) })
		return err
	})
	b.Queue(`SELECT `+childColumns+` FROM children WHERE id IN (SELECT child_id `+open+`)`, args).Query(func(rows pgx.Rows) error {
		children, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Child, error) { return scanChild(row) })
		oq.children = make(map[data.ID]data.Child, len(children))
		for _, c := range children {
			oq.children[c.ID] = c
		}
		return err
	})
	oq.lists.queueDays(b, groupID, `SELECT day `+open, args)
}

// items is the queue of the reads' outcome err. A group that does not
// exist has no requests, and an empty queue.
func (oq *openQueue) items(today data.Date, err error) ([]data.QueueItem, error) {
	if len(oq.requests) == 0 {
		if errors.Is(err, data.ErrNotFound) {
			err = nil
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	occupancy := map[data.Date]int{}
	out := make([]data.QueueItem, 0, len(oq.requests))
	for _, r := range oq.requests {
		child, ok := oq.children[r.ChildID]
		if !ok {
			return nil, fmt.Errorf("child %d of request %d: %w", r.ChildID, r.ID, data.ErrNotFound)
		}
		n, ok := occupancy[r.Date]
		if !ok {
			n = oq.lists.list(r.Date).Occupancy()
			occupancy[r.Date] = n
		}
		out = append(out, data.QueueItem{Request: r, Child: child, Flag: data.FlagOf(today, r.Date, oq.lists.settings), Occupancy: n, Capacity: oq.lists.group.Capacity})
	}
	return out, nil
}

// OpenRequestCounts counts the open requests per group of a location (every location for 0).
func (db *DB) OpenRequestCounts(ctx context.Context, locationID data.ID) (map[data.ID]int, error) {
	counts := map[data.ID]int{}
	err := db.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT r.group_id, count(*) FROM requests r JOIN groups g ON g.id = r.group_id
			WHERE r.status = $1 AND ($2 = 0 OR g.location_id = $2) GROUP BY r.group_id`, string(data.StatusOpen), int64(locationID))
		if err != nil {
			return err
		}
		var group int64
		var n int
		_, err = pgx.ForEachRow(rows, []any{&group, &n}, func() error {
			counts[data.ID(group)] = n
			return nil
		})
		return err
	})
	return counts, err
}

// ChildRequests lists the child's requests for today and the days to come, by day.
func (db *DB) ChildRequests(ctx context.Context, childID data.ID) ([]data.Request, error) {
	var out []data.Request
	today := db.Today()
	err := db.view(ctx, func(tx pgx.Tx) error {
		if _, err := db.readChildFor(ctx, tx, childID); err != nil {
			return err
		}
		var err error
		out, err = readRequests(ctx, tx, `WHERE child_id = $1 AND day >= $2 ORDER BY day, id`, int64(childID), dateArg(today))
		if len(out) == 0 {
			out = nil
		}
		return err
	})
	return out, err
}

// RequestChildren lists the children with a contract in the group on d,
// the ones who can have extra care requested there, by name.
func (db *DB) RequestChildren(ctx context.Context, groupID data.ID, d data.Date) ([]data.Child, error) {
	var out []data.Child
	err := db.view(ctx, func(tx pgx.Tx) error {
		contracts, err := groupContracts(ctx, tx, groupID, d)
		if err != nil {
			return err
		}
		var ids []data.ID
		for _, c := range contracts {
			if c.Runs(d) && !slices.Contains(ids, c.ChildID) {
				ids = append(ids, c.ChildID)
			}
		}
		children, err := childrenByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		out = nil
		for _, id := range ids {
			child, ok := children[id]
			if !ok {
				return fmt.Errorf("child %d: %w", id, data.ErrNotFound)
			}
			out = append(out, child)
		}
		return nil
	})
	data.SortByName(out, func(c data.Child) data.Child { return c })
	return out, err
}
