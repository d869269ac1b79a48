package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"locatiedesk/data"
)

// The edits of a day's list go to the hub while it answers and nothing
// waits; otherwise they are kept, in order, and sent later. Either way the
// person's screen shows them at once.

// CheckIn is data.Store's; kept without connection.
func (s *Store) CheckIn(ctx context.Context, e data.DayEdit, at data.Clock) error {
	return s.edit(ctx, keptJSON{Action: data.KeptCheckIn, Edit: e, At: &at})
}

// CheckOut is data.Store's; kept without connection.
func (s *Store) CheckOut(ctx context.Context, e data.DayEdit, at data.Clock) error {
	return s.edit(ctx, keptJSON{Action: data.KeptCheckOut, Edit: e, At: &at})
}

// SetTimes is data.Store's; kept without connection.
func (s *Store) SetTimes(ctx context.Context, e data.DayEdit, in, out *data.Clock) error {
	return s.edit(ctx, keptJSON{Action: data.KeptSetTimes, Edit: e, In: in, Out: out})
}

// MarkAbsent is data.Store's; kept without connection.
func (s *Store) MarkAbsent(ctx context.Context, e data.DayEdit, reason data.AbsenceReason) error {
	return s.edit(ctx, keptJSON{Action: data.KeptAbsent, Edit: e, Reason: reason})
}

// MarkAbsentOther is data.Store's; kept without connection.
func (s *Store) MarkAbsentOther(ctx context.Context, e data.DayEdit, text string) error {
	return s.edit(ctx, keptJSON{Action: data.KeptAbsentOther, Edit: e, Text: text})
}

// ClearAbsence is data.Store's; kept without connection.
func (s *Store) ClearAbsence(ctx context.Context, e data.DayEdit) error {
	return s.edit(ctx, keptJSON{Action: data.KeptClearAbsence, Edit: e})
}

// SetNote is data.Store's; kept without connection.
func (s *Store) SetNote(ctx context.Context, e data.DayEdit, note string) error {
	return s.edit(ctx, keptJSON{Action: data.KeptNote, Edit: e, Text: note})
}

// LogPrint is data.Store's; kept without connection, so that the list of
// who is here printed during an alarm is still logged with who printed it.
func (s *Store) LogPrint(ctx context.Context, what string) error {
	return s.edit(ctx, keptJSON{Action: data.KeptPrint, Text: what})
}

// send is the hub's own call for a kept action.
func send(ctx context.Context, st data.Store, k keptJSON) error {
	e := k.Edit
	switch k.Action {
	case data.KeptCheckIn:
		return st.CheckIn(ctx, e, *k.At)
	case data.KeptCheckOut:
		return st.CheckOut(ctx, e, *k.At)
	case data.KeptSetTimes:
		return st.SetTimes(ctx, e, k.In, k.Out)
	case data.KeptAbsent:
		return st.MarkAbsent(ctx, e, k.Reason)
	case data.KeptAbsentOther:
		return st.MarkAbsentOther(ctx, e, k.Text)
	case data.KeptClearAbsence:
		return st.ClearAbsence(ctx, e)
	case data.KeptNote:
		return st.SetNote(ctx, e, k.Text)
	case data.KeptPrint:
		return st.LogPrint(ctx, k.Text)
	}
	return fmt.Errorf("an outbox action %q this build does not know", k.Action)
}

// edit sends k to the hub, or keeps it: when the hub cannot be reached,
// when earlier actions still wait (they go first), or when the call fails
// on the way (then with the same key, so that it is applied once even if
// the hub did apply it).
func (s *Store) edit(ctx context.Context, k keptJSON) error {
	// Only a person's edits of today's list are kept: an edit needs the
	// person to send it as, and another date needs the hub's unlock.
	if s.actor == nil || k.Edit.Unlock != nil {
		if err := s.reachable(); err != nil {
			return err
		}
		return s.guard(ctx, send(ctx, s.hub(), k))
	}
	// A caller's key names the write (a retry of its own); otherwise the
	// outbox names it, and keeps the name for every later send.
	k.Key, k.Actor, k.Made = newKey(), *s.actor, time.Now()
	if given, ok := data.WriteKey(ctx); ok {
		k.Key = given
	}
	if s.Online() && s.Pending() == 0 {
		callCtx, cancel := context.WithTimeout(data.WithWriteKey(ctx, k.Key), s.callTimeout)
		err := send(callCtx, s.hub(), k)
		cancel()
		switch {
		case unreachable(ctx, err):
			s.lost()
		case !s.forgotten(err):
			if errors.Is(err, data.ErrAlreadyApplied) {
				err = nil
			}
			if err == nil {
				s.keepSent(k)
			}
			return s.guard(ctx, err)
		}
	}
	return s.keepEdit(k)
}

// keepSent makes an edit the hub applied on the kept copy of its list too,
// so that the copy is current when the connection goes before the list is
// read again. The copy keeps the moment it was read: other devices' edits
// since are not in it.
func (s *state) keepSent(k keptJSON) {
	if k.Action == data.KeptPrint {
		return
	}
	key := cacheKey("DayList", k.Edit.GroupID, k.Edit.Date)
	var l data.DayList
	at, ok, err := s.file.kept(key, &l)
	if err != nil || !ok {
		return
	}
	if i := rowOf(l, k.Edit.ChildID); i >= 0 {
		// The hub took it, so its time is not checked against a clock again.
		if a, err := apply(l.Rows[i].Attendance, k, time.Time{}); err == nil {
			l.Rows[i].Attendance = a
			s.file.keepAt(key, l, at)
		}
	}
}

// keepEdit checks k against the kept list as the hub would, and keeps it.
func (s *Store) keepEdit(k keptJSON) error {
	if k.Action != data.KeptPrint {
		if err := data.EditableDay(s.Today(), k.Edit.Date, nil, presence(k.Action)); err != nil {
			return err
		}
		if err := s.actor.MayDo(data.ActAttendance); err != nil {
			return err
		}
		list, ok, err := s.keptList(k.Edit.GroupID, k.Edit.Date)
		switch {
		case err != nil:
			return err
		case !ok:
			return needsHub() // a list never read here: nothing to check it against
		}
		if err := s.actor.Can(data.ActAttendance, 0, list.Group); err != nil {
			return err
		}
		i := rowOf(list, k.Edit.ChildID)
		if i < 0 {
			return fmt.Errorf("%w: child %d is not on the list of %s", data.ErrNotFound, k.Edit.ChildID, k.Edit.Date)
		}
		if _, err := apply(list.Rows[i].Attendance, k, s.Now()); err != nil {
			return err
		}
		k.Child = list.Rows[i].Child.FirstName + " " + list.Rows[i].Child.LastName
	}
	if err := s.file.add(k); err != nil {
		return err
	}
	s.kick()
	s.changed()
	s.emit(data.Change{Kind: data.ChangeAttendance, Date: k.Edit.Date, GroupID: k.Edit.GroupID, ChildID: k.Edit.ChildID})
	return nil
}

func presence(a data.KeptAction) bool {
	return a == data.KeptCheckIn || a == data.KeptCheckOut || a == data.KeptSetTimes
}

func rowOf(l data.DayList, child data.ID) int {
	for i, r := range l.Rows {
		if r.Child.ID == child {
			return i
		}
	}
	return -1
}

// apply is the child's record with the kept action made, by the same rules
// the hub applies (package data), so that the screen shows what the hub
// will hold and refuses at once what it would refuse.
func apply(a data.Attendance, k keptJSON, now time.Time) (data.Attendance, error) {
	var err error
	switch k.Action {
	case data.KeptCheckIn:
		a, err = data.RecordCheckIn(a, *k.At)
	case data.KeptCheckOut:
		if err = data.NotLaterThanNow(now, k.Edit.Date, k.At); err == nil {
			a, err = data.RecordCheckOut(a, *k.At)
		}
	case data.KeptSetTimes:
		if err = data.NotLaterThanNow(now, k.Edit.Date, k.In, k.Out); err == nil {
			a, err = data.CorrectTimes(a, k.In, k.Out)
		}
	case data.KeptAbsent:
		if err = data.CheckAbsenceReason(k.Reason); err == nil {
			a, err = data.RecordAbsence(a, k.Reason, "")
		}
	case data.KeptAbsentOther:
		var text string
		if text, err = data.AbsenceOtherText(k.Text); err == nil {
			a, err = data.RecordAbsence(a, data.AbsenceOther, text)
		}
	case data.KeptClearAbsence:
		a.Absent, a.AbsenceReason, a.AbsenceText = false, "", ""
	case data.KeptNote:
		a.Note, err = data.AttendanceNote(k.Text)
	}
	if err == nil {
		a.UpdatedBy, a.UpdatedAt = k.Edit.By, k.Made
	}
	return a, err
}

// overlay is the list with the kept actions on it made, in order; one the
// rules refuse on the newer list is left out (the hub will refuse it too).
func overlay(l data.DayList, kept []keptItem, now time.Time) data.DayList {
	var rows []data.DayRow
	for _, k := range kept {
		if k.Action == data.KeptPrint || k.Edit.GroupID != l.Group.ID || k.Edit.Date != l.Date {
			continue
		}
		i := rowOf(l, k.Edit.ChildID)
		if i < 0 {
			continue
		}
		if rows == nil { // the list's rows may be the kept copy's: change a copy
			rows = append([]data.DayRow(nil), l.Rows...)
			l.Rows = rows
		}
		if a, err := apply(l.Rows[i].Attendance, k.keptJSON, now); err == nil {
			l.Rows[i].Attendance = a
		}
	}
	return l
}

// detail is a kept action's values in a few words, for the refused list.
func detail(k keptJSON) string {
	switch k.Action {
	case data.KeptCheckIn, data.KeptCheckOut:
		return k.At.String()
	case data.KeptSetTimes:
		in, out := "–", "–"
		if k.In != nil {
			in = k.In.String()
		}
		if k.Out != nil {
			out = k.Out.String()
		}
		return in + " – " + out
	case data.KeptAbsent:
		return string(k.Reason)
	case data.KeptAbsentOther, data.KeptNote, data.KeptPrint:
		return k.Text
	}
	return ""
}
