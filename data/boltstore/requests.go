package boltstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// withChannel sets the draft's channel from the handle's actor (ChannelFor).
func (db *DB) withChannel(tx *bolt.Tx, d data.RequestDraft, today data.Date) (data.RequestDraft, error) {
	s, err := readSettings(tx)
	if err != nil {
		return d, err
	}
	return data.DraftChannel(db.actor, d, today, s)
}

// PreviewRequest checks a draft and proposes its payment without storing
// anything. The error is for a store failure; a draft that cannot be
// submitted says why in Problem.
func (db *DB) PreviewRequest(ctx context.Context, d data.RequestDraft) (data.RequestPreview, error) {
	if err := db.ensureGrants(ctx, data.AuditGrantOnPreview, d.ChildID); err != nil {
		return data.RequestPreview{}, err
	}
	var p data.RequestPreview
	err := db.view(ctx, func(tx *bolt.Tx) error {
		d, problem := db.withChannel(tx, d, db.Today())
		if problem != nil {
			p.Problem = problem
			return nil
		}
		facts, problem := checkDraft(tx, d, db.Today())
		p = facts.Preview(d, problem)
		if facts.Proposes(d) {
			entries, err := childLedger(tx, d.ChildID, db.Today())
			if err != nil {
				return err
			}
			p.Proposal = data.Propose(d.Spec(), entries)
		}
		return nil
	})
	return p, err
}

// checkDraft gathers the facts of a draft's day and checks every rule a
// draft must meet on them (data.CheckDraftParties, RequestWindow,
// CheckDraftDay), in the order a user can act on them, returning the first
// it breaks.
func checkDraft(tx *bolt.Tx, d data.RequestDraft, today data.Date) (data.DraftFacts, error) {
	var ctx data.DraftFacts
	var err error
	if ctx.Settings, err = readSettings(tx); err != nil {
		return ctx, err
	}
	if ctx.Child, err = readChild(tx, d.ChildID); err != nil {
		return ctx, data.Refuse(data.RefuseUnknownChild, data.Args{"Child": int(d.ChildID)})
	}
	ctx.ChildFound = true
	if ctx.Group, err = getJSON[data.Group](tx.Bucket(bucketGroups), idKey(d.GroupID)); err != nil {
		return ctx, data.Refuse(data.RefuseUnknownGroup, data.Args{"Group": int(d.GroupID)})
	}
	if err := data.CheckDraftParties(d, ctx.Child, ctx.Group); err != nil {
		return ctx, err
	}
	// The occupancy is counted before any rule can refuse the draft, so the
	// figure shown is the day's whoever asks and whatever the answer.
	list, err := readDayList(tx, d.GroupID, d.Date)
	if err != nil {
		return ctx, err
	}
	ctx.Occupancy = list.Occupancy()
	if err := data.RequestWindow(today, d.Date, d.Channel, ctx.Settings); err != nil {
		return ctx, err
	}
	day, err := draftDay(tx, d, ctx.Child, ctx.Group, list)
	if err != nil {
		return ctx, err
	}
	ctx.HolidayDay, ctx.StudyDay = day.HolidayDay, day.StudyDay
	ctx.Products, err = data.CheckDraftDay(d, day)
	return ctx, err
}

// draftDay reads what the request rules need to know of the draft's day.
func draftDay(tx *bolt.Tx, d data.RequestDraft, child data.Child, group data.Group, list data.DayList) (data.DraftDay, error) {
	day := data.DraftDay{Child: child, Group: group, Closed: list.Closed, ClosedReason: list.ClosedReason}
	if day.Closed {
		return day, nil
	}
	contracts, err := childContracts(tx, d.ChildID, d.Date, d.Date)
	if err != nil {
		return day, err
	}
	day.Contracts = slices.DeleteFunc(contracts, func(c data.Contract) bool { return c.GroupID != d.GroupID })
	if len(day.Contracts) == 0 {
		return day, nil
	}
	if group.Care == data.BSO {
		cal, err := calendarFor(tx, d.Date, map[data.ID]bool{child.SchoolID: true})
		if err != nil {
			return day, err
		}
		day.HolidayDay = cal.IsSchoolHoliday(child.SchoolID, d.Date)
		day.StudyDay = !day.HolidayDay && cal.IsStudyDay(child.SchoolID, d.Date)
		if day.StudyDay {
			if day.StudyDayCancelled, err = studyDayCancelled(tx, child.SchoolID, group.LocationID, d.Date); err != nil {
				return day, err
			}
		}
	}
	row, ok := list.Row(d.ChildID)
	day.Listed = ok && row.Source != ""
	if id, found, err := liveRequest(tx, d.ChildID, d.Date); err != nil {
		return day, err
	} else if found {
		day.LiveRequest = id
	}
	return day, nil
}

// liveRequest finds an open or approved request of the child on d.
func liveRequest(tx *bolt.Tx, childID data.ID, d data.Date) (data.ID, bool, error) {
	b := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
	if b == nil {
		return 0, false, nil
	}
	prefix := dateKey(d)
	c := b.Cursor()
	for k, status := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, status = c.Next() {
		if s := data.RequestStatus(status); s == data.StatusOpen || s == data.StatusApproved {
			return data.ID(btoi(k[len(prefix):])), true, nil
		}
	}
	return 0, false, nil
}

// SubmitRequest stores a request with the payment the user accepted, and
// reserves its credit in the same transaction (R7). Every rule is checked
// again inside the transaction: a payment that no longer matches the
// child's credit (another request reserved it meanwhile) fails with a
// *PaymentChangedError holding a fresh proposal, and nothing is stored.
// Invoicing what credit could pay needs an override reason (R3).
func (db *DB) SubmitRequest(ctx context.Context, d data.RequestDraft, pay data.Payment) (data.Request, error) {
	var req data.Request
	now := db.now()
	err := db.update(ctx, data.AuditSubmitRequest, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActRequest, 0, d.GroupID); err != nil {
			return err
		}
		d, err := db.withChannel(tx, d, data.DateOf(now))
		if err != nil {
			return err
		}
		req, err = submitRequest(tx, d, &pay, now, changed)
		return err
	})
	if err != nil {
		return data.Request{}, err
	}
	return req, nil
}

// submitRequest is SubmitRequest's transaction, at the moment now. A nil
// pay takes the payment the rules propose (a request imported from history).
func submitRequest(tx *bolt.Tx, d data.RequestDraft, pay *data.Payment, now time.Time, changed *[]data.Change) (data.Request, error) {
	today := data.DateOf(now)
	ctx, err := checkDraft(tx, d, today)
	if err != nil {
		return data.Request{}, err
	}
	if err := data.CheckCapacity(ctx.Group, d.Date, ctx.Occupancy, d.OverCapacity); err != nil {
		return data.Request{}, err
	}
	if err := grantFlexibleCredit(tx, d.ChildID, today, changed); err != nil {
		return data.Request{}, err
	}
	entries, err := childLedger(tx, d.ChildID, today)
	if err != nil {
		return data.Request{}, err
	}
	paid, err := data.PaymentToReserve(d.Spec(), pay, entries)
	if err != nil {
		return data.Request{}, err
	}
	for _, a := range paid.Allocations {
		err := updateCreditEntry(tx, d.ChildID, a.ExpiresOn, a.EntryID, func(e *data.CreditEntry) error {
			data.ReserveCredit(e, a.Minutes)
			return nil
		})
		if err != nil {
			return data.Request{}, err
		}
	}
	seq, err := tx.Bucket(bucketRequests).NextSequence()
	if err != nil {
		return data.Request{}, err
	}
	req := data.SubmittedRequest(d, paid, now)
	req.ID = data.ID(seq)
	*changed = append(*changed, req.SubmitChanges()...)
	return req, putRequest(tx, req)
}

// putRequest stores a request and keeps its two indexes in step: the open
// queue of its group (only while open) and the child's requests by date.
func putRequest(tx *bolt.Tx, r data.Request) error {
	if err := putJSON(tx.Bucket(bucketRequests), idKey(r.ID), r); err != nil {
		return err
	}
	key := append(dateKey(r.Date), idKey(r.ID)...)
	open, err := nestedCreate(tx.Bucket(bucketRequestsOpen), idKey(r.GroupID))
	if err != nil {
		return err
	}
	if r.Status == data.StatusOpen {
		err = open.Put(key, nil)
	} else {
		err = open.Delete(key)
	}
	if err != nil {
		return err
	}
	byChild, err := nestedCreate(tx.Bucket(bucketRequestsByChild), idKey(r.ChildID))
	if err != nil {
		return err
	}
	return byChild.Put(key, []byte(r.Status))
}

// ApproveRequest approves an open request: its reserved credit is spent,
// and the child is on that day's list at once (A2).
func (db *DB) ApproveRequest(ctx context.Context, id data.ID, by string) error {
	return db.decide(ctx, data.AuditApproveRequest, id, data.ActApprove, by, "", approve)
}

// A decision changes an open (or approved) request inside decide's transaction.
type decision func(tx *bolt.Tx, r *data.Request, now time.Time, changed *[]data.Change) error

func approve(tx *bolt.Tx, r *data.Request, _ time.Time, changed *[]data.Change) error {
	if err := data.CheckDecide(*r); err != nil {
		return err
	}
	if expected, err := childExpected(tx, r.ChildID, r.GroupID, r.Date); err != nil {
		return err
	} else if expected {
		return data.Refuse(data.RefuseApproveExpected, data.Args{"Child": int(r.ChildID), "Date": r.Date})
	}
	if err := moveCredit(tx, *r, data.SpendReserved); err != nil {
		return err
	}
	extras, err := nestedCreate(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID))
	if err != nil {
		return err
	}
	r.Status = data.StatusApproved
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	return putJSON(extras, idKey(r.ChildID), data.Extra{ChildID: r.ChildID, GroupID: r.GroupID, Date: r.Date, Times: r.Times, Source: data.SourceRequest})
}

// childExpected is rule A1 for one child: is the child on the group's list
// on d? It reads only the child's contracts and extra, not the whole group's.
func childExpected(tx *bolt.Tx, childID, groupID data.ID, d data.Date) (bool, error) {
	cr, err := readChildRow(tx, groupID, childID, d)
	return cr.row.Source != "", err
}

// RejectRequest rejects an open request with a reason; its credit is given back (R7).
func (db *DB) RejectRequest(ctx context.Context, id data.ID, by, reason string) error {
	if err := data.CheckRejectReason(reason); err != nil {
		return err
	}
	return db.decide(ctx, data.AuditRejectRequest, id, data.ActApprove, by, reason, reject)
}

func reject(tx *bolt.Tx, r *data.Request, _ time.Time, _ *[]data.Change) error {
	if err := data.CheckDecide(*r); err != nil {
		return err
	}
	r.Status = data.StatusRejected
	return moveCredit(tx, *r, data.ReleaseReserved)
}

// CancelRequest withdraws an open or approved request; its credit is given
// back (R7), and an approved one leaves that day's list. Care on a day gone
// by has been given, so an approved request of the past stays.
func (db *DB) CancelRequest(ctx context.Context, id data.ID, by, reason string) error {
	return db.decide(ctx, data.AuditCancelRequest, id, data.ActRequest, by, reason, cancel)
}

func cancel(tx *bolt.Tx, r *data.Request, now time.Time, changed *[]data.Change) error {
	if err := data.CheckCancel(*r, data.DateOf(now)); err != nil {
		return err
	}
	if r.Status == data.StatusOpen {
		r.Status = data.StatusCancelled
		return moveCredit(tx, *r, data.ReleaseReserved)
	}
	r.Status = data.StatusCancelled
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	if b := nested(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID)); b != nil {
		if x, err := getJSON[data.Extra](b, idKey(r.ChildID)); err == nil && x.Source == data.SourceRequest {
			if err := b.Delete(idKey(r.ChildID)); err != nil {
				return err
			}
		}
	}
	return moveCredit(tx, *r, data.ReleaseSpent)
}

// decide runs a status change of one request in one transaction and records who made it.
func (db *DB) decide(ctx context.Context, audit string, id data.ID, action data.Action, by, reason string, change decision) error {
	if err := data.CheckDecider(by); err != nil {
		return err
	}
	now := db.now()
	return db.update(ctx, audit, func(tx *bolt.Tx, changed *[]data.Change) error {
		allow := func(r data.Request) error { return db.allow(tx, action, 0, r.GroupID) }
		return decideRequest(tx, id, by, reason, now, allow, change, changed)
	})
}

// decideRequest is decide's transaction, at the moment now; allow, when
// given, checks the request's group against who decides.
func decideRequest(tx *bolt.Tx, id data.ID, by, reason string, now time.Time, allow func(data.Request) error, change decision, changed *[]data.Change) error {
	r, err := readRequest(tx, id)
	if err != nil {
		return err
	}
	if allow != nil {
		if err := allow(r); err != nil {
			return err
		}
	}
	if err := change(tx, &r, now, changed); err != nil {
		return err
	}
	*changed = append(*changed, r.RecordDecision(by, reason, now)...)
	return putRequest(tx, r)
}

// readRequest reads a request to decide on; one that is gone (the list a
// user acts on is older than the data) is refused as not found.
func readRequest(tx *bolt.Tx, id data.ID) (data.Request, error) {
	r, err := getJSON[data.Request](tx.Bucket(bucketRequests), idKey(id))
	switch {
	case errors.Is(err, data.ErrNotFound):
		return r, data.Refuse(data.RefuseRequestGone, data.Args{"Request": int(id)})
	case err != nil:
		return r, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// UndoDecision takes back an approval or rejection made moments ago by the
// same person: the request is open again with its credit reserved as when
// it was submitted (R7), an approved child leaves that day's list again, and
// the undo is a write of its own in the audit log. The decision itself was
// stored at once, so closing the app during the undo time loses nothing.
func (db *DB) UndoDecision(ctx context.Context, id data.ID, by string) error {
	if err := data.CheckDecider(by); err != nil {
		return err
	}
	now := db.now()
	return db.update(ctx, data.AuditUndoDecision, func(tx *bolt.Tx, changed *[]data.Change) error {
		r, err := readRequest(tx, id)
		if err != nil {
			return err
		}
		if err := db.allow(tx, data.ActApprove, 0, r.GroupID); err != nil {
			return err
		}
		if err := data.CheckUndo(r, by, now); err != nil {
			return err
		}
		if err := reopen(tx, &r, changed); err != nil {
			return err
		}
		*changed = append(*changed, r.Reopen()...)
		return putRequest(tx, r)
	})
}

// reopen reverses approve or reject: spent credit is reserved again and the
// extra leaves the list; given-back credit is reserved again, if no other
// request has taken it meanwhile.
func reopen(tx *bolt.Tx, r *data.Request, changed *[]data.Change) error {
	if r.Status == data.StatusRejected {
		if other, found, err := liveRequest(tx, r.ChildID, r.Date); err != nil {
			return err
		} else if found {
			return data.Refuse(data.RefuseReopenDuplicate, data.Args{"Date": r.Date, "Request": int(other)})
		}
		return moveCreditChecked(tx, *r, data.ReserveAgain)
	}
	rec, err := getJSON[data.Attendance](nested(tx.Bucket(bucketAttendance), dateKey(r.Date), idKey(r.GroupID)), idKey(r.ChildID))
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return err
	}
	if err := data.CheckReopenRecorded(*r, rec, err == nil); err != nil {
		return err
	}
	if b := nested(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID)); b != nil {
		if x, err := getJSON[data.Extra](b, idKey(r.ChildID)); err == nil && x.Source == data.SourceRequest {
			if err := b.Delete(idKey(r.ChildID)); err != nil {
				return err
			}
		}
	}
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	return moveCredit(tx, *r, data.UnspendToReserved)
}

// moveCreditChecked is moveCredit for a move that can be refused.
func moveCreditChecked(tx *bolt.Tx, r data.Request, move func(e *data.CreditEntry, minutes int) error) error {
	for _, a := range r.Payment.Allocations {
		err := updateCreditEntry(tx, r.ChildID, a.ExpiresOn, a.EntryID, func(e *data.CreditEntry) error { return move(e, a.Minutes) })
		if err != nil {
			return err
		}
	}
	return nil
}

// moveCredit applies move to every entry the request's payment uses.
func moveCredit(tx *bolt.Tx, r data.Request, move func(e *data.CreditEntry, minutes int)) error {
	return moveCreditChecked(tx, r, func(e *data.CreditEntry, m int) error {
		move(e, m)
		return nil
	})
}

// Request returns one request.
func (db *DB) Request(ctx context.Context, id data.ID) (data.Request, error) {
	var r data.Request
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		r, err = getJSON[data.Request](tx.Bucket(bucketRequests), idKey(id))
		return err
	})
	if err != nil {
		return r, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// OpenRequests is the approval queue of a group (R6): open requests, the
// earliest day first. It reads the group's open index, not the history.
func (db *DB) OpenRequests(ctx context.Context, groupID data.ID) ([]data.QueueItem, error) {
	var out []data.QueueItem
	today := db.Today()
	err := db.view(ctx, func(tx *bolt.Tx) error {
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		out, err = groupQueue(tx, groupID, today, s)
		return err
	})
	return out, err
}

// LocationQueue is the approval queue of every group of a location the
// handle's actor works in, in one list: the earliest day first, and of one
// day the request waiting longest first.
func (db *DB) LocationQueue(ctx context.Context, locationID data.ID) ([]data.QueueItem, error) {
	var out []data.QueueItem
	today := db.Today()
	err := db.view(ctx, func(tx *bolt.Tx) error {
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.LocationID != locationID || db.actor != nil && !db.worksIn(g) {
				continue
			}
			items, err := groupQueue(tx, g.ID, today, s)
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

// groupQueue reads one group's open requests, the earliest day first.
func groupQueue(tx *bolt.Tx, groupID data.ID, today data.Date, s data.Settings) ([]data.QueueItem, error) {
	var out []data.QueueItem
	b := nested(tx.Bucket(bucketRequestsOpen), idKey(groupID))
	if b == nil {
		return nil, nil
	}
	g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID))
	if err != nil {
		return nil, err
	}
	occupancy := map[data.Date]int{}
	err = b.ForEach(func(k, _ []byte) error {
		r, err := getJSON[data.Request](tx.Bucket(bucketRequests), k[len(k)-8:])
		if err != nil {
			return err
		}
		child, err := readChild(tx, r.ChildID)
		if err != nil {
			return err
		}
		n, ok := occupancy[r.Date]
		if !ok {
			list, err := readDayList(tx, groupID, r.Date)
			if err != nil {
				return err
			}
			n = list.Occupancy()
			occupancy[r.Date] = n
		}
		out = append(out, data.QueueItem{Request: r, Child: child, Flag: data.FlagOf(today, r.Date, s), Occupancy: n, Capacity: g.Capacity})
		return nil
	})
	return out, err
}

// OpenRequestCounts counts the open requests per group of a location (every location for 0).
func (db *DB) OpenRequestCounts(ctx context.Context, locationID data.ID) (map[data.ID]int, error) {
	counts := map[data.ID]int{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if locationID != 0 && g.LocationID != locationID {
				continue
			}
			if b := nested(tx.Bucket(bucketRequestsOpen), idKey(g.ID)); b != nil {
				if n := b.Stats().KeyN; n > 0 {
					counts[g.ID] = n
				}
			}
		}
		return nil
	})
	return counts, err
}

// ChildRequests lists the child's requests for today and the days to come, by day.
func (db *DB) ChildRequests(ctx context.Context, childID data.ID) ([]data.Request, error) {
	var out []data.Request
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if _, err := db.readChildFor(tx, childID); err != nil {
			return err
		}
		b := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.Seek(dateKey(db.Today())); k != nil; k, _ = c.Next() {
			r, err := getJSON[data.Request](tx.Bucket(bucketRequests), k[len(k)-8:])
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// RequestChildren lists the children with a contract in the group on d,
// the ones who can have extra care requested there, by name.
func (db *DB) RequestChildren(ctx context.Context, groupID data.ID, d data.Date) ([]data.Child, error) {
	var out []data.Child
	err := db.view(ctx, func(tx *bolt.Tx) error {
		contracts, err := groupContracts(tx, groupID, d)
		if err != nil {
			return err
		}
		seen := map[data.ID]bool{}
		for _, c := range contracts {
			if seen[c.ChildID] || !c.Runs(d) {
				continue
			}
			seen[c.ChildID] = true
			child, err := readChild(tx, c.ChildID)
			if err != nil {
				return err
			}
			out = append(out, child)
		}
		return nil
	})
	data.SortByName(out, func(c data.Child) data.Child { return c })
	return out, err
}

// migrateRequests adds the buckets of extra-care requests and credit, and
// indexes the contracts stored so far by child.
func migrateRequests(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketCredit, bucketCreditGrants, bucketRequests, bucketRequestsOpen, bucketRequestsByChild, bucketContractsByChild} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	contracts, err := allJSON[data.Contract](tx.Bucket(bucketContracts))
	if err != nil {
		return err
	}
	for _, c := range contracts {
		if err := indexContractByChild(tx, c); err != nil {
			return err
		}
	}
	return nil
}
