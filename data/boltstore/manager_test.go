package boltstore_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	"locatiedesk/data"
)

// requestableChild finds a child of the group who can have extra care on day.
func requestableChild(t *testing.T, db *boltstore.DB, group data.ID, day data.Date, product data.Product, times data.TimeRange) data.RequestDraft {
	t.Helper()
	children, err := db.RequestChildren(t.Context(), group, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range children {
		d := data.RequestDraft{ChildID: c.ID, GroupID: group, Date: day, Times: times, Product: product, By: "system"}
		if p, err := db.PreviewRequest(t.Context(), d); err == nil && p.Problem == nil {
			return d
		}
	}
	t.Fatalf("no child of group %d can get a request on %s", group, day)
	return data.RequestDraft{}
}

// TestSubmitRequest_R1_StaffCannotRegisterForTheParent: staff told that the
// parent must request cannot store the request as the office's, and the
// occupancy they see is the day's, the same as the manager's.
func TestSubmitRequest_R1_StaffCannotRegisterForTheParent(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	day := db.Today().AddDays(7) // the parents' window
	for l, _ := db.DayList(t.Context(), 1, day); l.Closed; l, _ = db.DayList(t.Context(), 1, day) {
		day = day.AddDays(1)
	}
	d := requestableChild(t, db, 1, day, data.ProductKDV, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)})
	staff, manager := signedIn(t, db, tess), signedIn(t, db, marieke)

	staffView, err := staff.PreviewRequest(t.Context(), d)
	var window *data.WindowError
	if err != nil || !errors.As(staffView.Problem, &window) || window.MustBy != data.ChannelParent || staffView.Channel != data.ChannelGroup {
		t.Fatalf("staff preview: %v, problem %v, channel %q; want the parent's window, as the group", err, staffView.Problem, staffView.Channel)
	}
	managerView, err := manager.PreviewRequest(t.Context(), d)
	if err != nil || managerView.Problem != nil || managerView.Channel != data.ChannelOffice {
		t.Fatalf("manager preview: %v, problem %v, channel %q; want the office registering for the parent", err, managerView.Problem, managerView.Channel)
	}
	list, _ := db.DayList(t.Context(), 1, day)
	if staffView.Occupancy == 0 || staffView.Occupancy != managerView.Occupancy || staffView.Occupancy != len(list.Rows)-list.Counts().Absent {
		t.Errorf("occupancy %d for staff, %d for the manager, list has %d; want one figure, the day's", staffView.Occupancy, managerView.Occupancy, len(list.Rows))
	}

	asOffice := d
	asOffice.Channel = data.ChannelOffice
	if _, err := staff.SubmitRequest(t.Context(), asOffice, managerView.Proposal.Payment); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("staff submitting as the office: %v, want ErrForbidden", err)
	}
	if _, err := staff.SubmitRequest(t.Context(), d, managerView.Proposal.Payment); !errors.Is(err, data.ErrOutsideWindow) {
		t.Errorf("staff submitting in the parents' window: %v, want ErrOutsideWindow", err)
	}
	if queue, _ := db.OpenRequests(t.Context(), 1); slices.ContainsFunc(queue, func(q data.QueueItem) bool { return q.Request.ChildID == d.ChildID && q.Request.Date == day }) {
		t.Fatal("a refused request is in the queue")
	}
	r, err := manager.SubmitRequest(t.Context(), d, managerView.Proposal.Payment)
	if err != nil || r.Channel != data.ChannelOffice {
		t.Fatalf("manager: %+v, %v; want stored as the office's", r, err)
	}
}

// TestLocationQueue_R6_EveryGroupInOneQueue: the manager's queue holds the
// open requests of every group of the location, the earliest day first;
// staff see only their own groups'.
func TestLocationQueue_R6_EveryGroupInOneQueue(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	openBSORequest(t, db) // group 3, two days ahead
	kdv := requestableChild(t, db, 1, db.Today().AddDays(1), data.ProductKDV, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)})
	kdv.Channel = data.ChannelGroup
	submitProposed(t, db, kdv)

	queue, err := signedIn(t, db, marieke).LocationQueue(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var groups []data.ID
	for i, q := range queue {
		groups = append(groups, q.Request.GroupID)
		if i > 0 && q.Request.Date.Before(queue[i-1].Request.Date) {
			t.Errorf("queue not earliest day first: %s after %s", q.Request.Date, queue[i-1].Request.Date)
		}
	}
	if !slices.Contains(groups, 1) || !slices.Contains(groups, 3) || len(queue) != 2 {
		t.Fatalf("manager's queue in groups %v, want both requests (groups 1 and 3)", groups)
	}
	staffQueue, err := signedIn(t, db, tess).LocationQueue(t.Context(), 1)
	if err != nil || len(staffQueue) != 1 || staffQueue[0].Request.GroupID != 1 {
		t.Errorf("Tess's queue %+v (%v), want only group 1's request", staffQueue, err)
	}
}

// TestUndoDecision_R7_RestoresTheOpenRequestAndItsCredit: an approval or
// rejection taken back at once leaves the request and the credit as they
// were before the decision, logged; later, or by someone else, it is refused.
func TestUndoDecision_R7_RestoresTheOpenRequestAndItsCredit(t *testing.T) {
	now := storeNow
	db, _ := newStore(t, datatest.Moving(&now), datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	r := submitProposed(t, db, dewiDraft(wednesday, morning))
	before := storeState(t, db)

	if err := db.ApproveRequest(t.Context(), r.ID, "Sanne"); err != nil {
		t.Fatal(err)
	}
	if err := db.UndoDecision(t.Context(), r.ID, "Mirjam"); !errors.Is(err, data.ErrUndoExpired) {
		t.Errorf("undo by someone else: %v, want ErrUndoExpired", err)
	}
	now = now.Add(5 * time.Second)
	if err := db.UndoDecision(t.Context(), r.ID, "Sanne"); err != nil {
		t.Fatalf("undo the approval: %v", err)
	}
	if after := storeState(t, db); after != before {
		t.Errorf("after undoing the approval:\n%s\nwant as before:\n%s", after, before)
	}
	if l, _ := db.DayList(t.Context(), groupEg, wednesday); slices.Contains(rowIDs(l), idDewi) {
		t.Error("Dewi still on the list after the approval was undone")
	}
	if e := absenceEntry(t, db, idDewi); e.Reserved != 240 || e.Spent != 0 {
		t.Errorf("credit after undo %+v, want 240 reserved again", e)
	}
	log, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if len(log) != 1 || log[0].Action != data.AuditUndoDecision || log[0].Who != "system" {
		t.Errorf("last audit entry %+v, want the undo", log)
	}

	if err := db.RejectRequest(t.Context(), r.ID, "Sanne", "groep vol"); err != nil {
		t.Fatal(err)
	}
	if err := db.UndoDecision(t.Context(), r.ID, "Sanne"); err != nil {
		t.Fatalf("undo the rejection: %v", err)
	}
	if after := storeState(t, db); after != before {
		t.Errorf("after undoing the rejection:\n%s\nwant as before:\n%s", after, before)
	}

	if err := db.ApproveRequest(t.Context(), r.ID, "Sanne"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(data.UndoWindow + time.Second)
	if err := db.UndoDecision(t.Context(), r.ID, "Sanne"); !errors.Is(err, data.ErrUndoExpired) {
		t.Errorf("undo after the undo time: %v, want ErrUndoExpired", err)
	}
	if stored, _ := db.Request(t.Context(), r.ID); stored.Status != data.StatusApproved {
		t.Errorf("a refused undo changed the request: %s", stored.Status)
	}
}

// TestUndoDecision_R7_CreditTakenMeanwhileIsNotCreatedTwice: when another
// request has reserved the credit a rejection gave back, undoing the
// rejection is refused rather than reserving the same hours twice.
func TestUndoDecision_R7_CreditTakenMeanwhileIsNotCreatedTwice(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	r := submitProposed(t, db, dewiDraft(wednesday, data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(17, 30)}))
	if err := db.RejectRequest(t.Context(), r.ID, "Sanne", "te lang"); err != nil {
		t.Fatal(err)
	}
	submitProposed(t, db, dewiDraft(thursday, data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(17, 30)}))
	if err := db.UndoDecision(t.Context(), r.ID, "Sanne"); !errors.Is(err, data.ErrOverdrawn) {
		t.Errorf("undo with the credit spent elsewhere: %v, want ErrOverdrawn", err)
	}
	if stored, _ := db.Request(t.Context(), r.ID); stored.Status != data.StatusRejected {
		t.Errorf("request %s after a refused undo", stored.Status)
	}
}

// TestAttendance_A4_TimesNotLaterThanNow: a check-in or check-out on
// today's list cannot be later than the clock; a past day takes any time.
func TestAttendance_A4_TimesNotLaterThanNow(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	today := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam"}
	if err := db.CheckIn(t.Context(), today, data.NewClock(9, 1)); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("check-in at 09:01 when it is 09:00: %v, want refused", err)
	}
	soon := data.NewClock(9, 30)
	if err := db.SetTimes(t.Context(), today, &soon, nil); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("check-in corrected to 09:30 at 09:00: %v, want refused", err)
	}
	l, _ := db.DayList(t.Context(), groupEg, storeToday)
	if r, _ := rowOf(l, idAnna); r.Attendance.CheckIn != nil {
		t.Errorf("a refused check-in was recorded: %+v", r.Attendance)
	}
	if err := db.CheckIn(t.Context(), today, data.NewClock(8, 30)); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckOut(t.Context(), today, data.NewClock(9, 1)); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("check-out at 09:01 when it is 09:00: %v, want refused", err)
	}
	later := data.NewClock(17, 0)
	if err := db.SetTimes(t.Context(), today, &[]data.Clock{data.NewClock(8, 30)}[0], &later); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("times up to 17:00 at 09:00: %v, want refused", err)
	}
	if err := db.CheckOut(t.Context(), today, data.NewClock(9, 0)); err != nil {
		t.Errorf("check-out now: %v", err)
	}
	u, err := db.Unlock(t.Context(), yesterday, "Mirjam")
	if err != nil {
		t.Fatal(err)
	}
	past := data.DayEdit{Date: yesterday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam", Unlock: u}
	if err := db.CheckIn(t.Context(), past, data.NewClock(8, 15)); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckOut(t.Context(), past, data.NewClock(17, 45)); err != nil {
		t.Errorf("check-out of a past day at 17:45: %v", err)
	}
}

// TestMarkAbsentOther_A4_ShortReasonKept: another reason is given in a few
// words, kept on the record and cleared with the absence.
func TestMarkAbsentOther_A4_ShortReasonKept(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	e := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idBram, By: "Mirjam"}
	for _, bad := range []string{"  ", string(make([]rune, data.MaxAbsenceText+1)), "twee\nregels"} {
		if err := db.MarkAbsentOther(t.Context(), e, bad); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("MarkAbsentOther(%q): %v, want ErrInvalid", bad, err)
		}
	}
	if err := db.MarkAbsentOther(t.Context(), e, " Familiebezoek "); err != nil {
		t.Fatal(err)
	}
	l, _ := db.DayList(t.Context(), groupEg, storeToday)
	row, _ := rowOf(l, idBram)
	if a := row.Attendance; !a.Absent || a.AbsenceReason != data.AbsenceOther || a.AbsenceText != "Familiebezoek" {
		t.Fatalf("record %+v, want absent for another reason with its words", a)
	}
	log, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if len(log) != 1 || log[0].Action != data.AuditMarkAbsentOther {
		t.Errorf("audit %+v", log)
	}
	if err := db.MarkAbsent(t.Context(), e, data.AbsenceSick); err != nil {
		t.Fatal(err)
	}
	l, _ = db.DayList(t.Context(), groupEg, storeToday)
	if row, _ := rowOf(l, idBram); row.Attendance.AbsenceText != "" {
		t.Errorf("the words of another reason stayed with a sick report: %+v", row.Attendance)
	}
}

// TestAudit_EveryActionIsKnown: every write names its action with one of
// the constants of data.AuditActions (so screens can say it in words, and a
// renamed method never changes what the log says), and every listed action
// is still written by some store method (one by the PostgreSQL store only).
func TestAudit_EveryActionIsKnown(t *testing.T) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{} // constant names written, such as "AuditCheckIn"
	writes := 0
	for _, f := range pkgs["boltstore"].Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "update" && len(call.Args) == 3 {
				writes++
				if id, ok := call.Args[1].(*ast.Ident); ok && (id.Name == "action" || id.Name == "audit") {
					return true // passed down from the method that names it
				}
				if _, ok := auditConstant(call.Args[1]); !ok {
					t.Errorf("a write names its action with %s, not a data.Audit constant", types.ExprString(call.Args[1]))
				}
			}
			for _, arg := range call.Args {
				if name, ok := auditConstant(arg); ok {
					named[name] = true
				}
			}
			return true
		})
	}
	if writes < 40 {
		t.Fatalf("found only %d writes", writes)
	}
	// A location's file moving into the organisation's database is logged
	// by the PostgreSQL store only (pgstore.Load).
	pg, err := parser.ParseFile(token.NewFileSet(), "../pgstore/load.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(pg, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			for _, arg := range call.Args {
				if name, ok := auditConstant(arg); ok {
					named[name] = true
				}
			}
		}
		return true
	})
	values := auditConstantValues(t)
	listed := map[string]bool{}
	for _, a := range data.AuditActions {
		listed[a] = true
	}
	for name := range named {
		if v, ok := values[name]; !ok || !listed[v] {
			t.Errorf("data.%s is written but not in data.AuditActions", name)
		}
	}
	for name, v := range values {
		if !named[name] {
			t.Errorf("audit action %s (data.%s) is written by no store method", v, name)
		}
	}
}

func auditConstant(e ast.Expr) (string, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return sel.Sel.Name, ok && pkg.Name == "data" && strings.HasPrefix(sel.Sel.Name, "Audit") && sel.Sel.Name != "AuditEntry" && sel.Sel.Name != "AuditFilter"
}

// auditConstantValues reads the Audit… string constants of package data.
func auditConstantValues(t *testing.T) map[string]string {
	f, err := parser.ParseFile(token.NewFileSet(), "../audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && strings.HasPrefix(n.Name, "Audit") {
					values[n.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	if len(values) < 40 {
		t.Fatalf("found only %d audit constants", len(values))
	}
	return values
}
