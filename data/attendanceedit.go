package data

import (
	"fmt"
	"strings"
	"time"
)

// AttendanceEdit is one edit of a child's record on a day list: whether it
// records presence (a check-in or check-out, never on a day still to come:
// A3), and how it changes the record. The stores apply it in one
// transaction with the checks of the day, under the audit action the store
// method names.
type AttendanceEdit struct {
	Presence bool
	Change   func(Attendance) (Attendance, error)
	// refused is why the edit's own arguments are refused, if they are.
	refused error
}

// Check is what an edit e must pass before its transaction, in this order:
// the edit's own arguments, someone making it, and the date: today, or an
// unlocked day (A3).
func (edit AttendanceEdit) Check(today Date, e DayEdit) error {
	if edit.refused != nil {
		return edit.refused
	}
	if strings.TrimSpace(e.By) == "" {
		return Refuse(RefuseAttendanceNoEditor, nil)
	}
	return EditableDay(today, e.Date, e.Unlock, edit.Presence)
}

// CheckInEdit records the child's arrival at at; an absence mark is lifted,
// because the child came after all. A time still to come is refused.
func CheckInEdit(now time.Time, d Date, at Clock) AttendanceEdit {
	return AttendanceEdit{Presence: true, refused: NotLaterThanNow(now, d, &at),
		Change: func(a Attendance) (Attendance, error) { return RecordCheckIn(a, at) }}
}

// CheckOutEdit records the child's departure at at.
func CheckOutEdit(now time.Time, d Date, at Clock) AttendanceEdit {
	return AttendanceEdit{Presence: true, refused: NotLaterThanNow(now, d, &at),
		Change: func(a Attendance) (Attendance, error) { return RecordCheckOut(a, at) }}
}

// SetTimesEdit corrects the check-in and check-out times (CorrectTimes).
func SetTimesEdit(now time.Time, d Date, in, out *Clock) AttendanceEdit {
	return AttendanceEdit{Presence: true, refused: NotLaterThanNow(now, d, in, out),
		Change: func(a Attendance) (Attendance, error) { return CorrectTimes(a, in, out) }}
}

// MarkAbsentEdit records the child as absent with a reason; the child stays
// on the list (A1).
func MarkAbsentEdit(reason AbsenceReason) AttendanceEdit {
	return AttendanceEdit{refused: CheckAbsenceReason(reason), Change: MarkAbsent(reason, "")}
}

// MarkAbsentOtherEdit records the child as absent for another reason, in the
// few words staff give (AbsenceOtherText).
func MarkAbsentOtherEdit(text string) AttendanceEdit {
	text, err := AbsenceOtherText(text)
	return AttendanceEdit{refused: err, Change: MarkAbsent(AbsenceOther, text)}
}

// MarkAbsent is the change of a record to absent (RecordAbsence).
func MarkAbsent(reason AbsenceReason, text string) func(Attendance) (Attendance, error) {
	return func(a Attendance) (Attendance, error) {
		return RecordAbsence(a, reason, text)
	}
}

// ClearAbsenceEdit takes back an absence mark.
func ClearAbsenceEdit() AttendanceEdit {
	return AttendanceEdit{Change: func(a Attendance) (Attendance, error) {
		a.Absent, a.AbsenceReason, a.AbsenceText = false, "", ""
		return a, nil
	}}
}

// SetNoteEdit replaces the note on the child's record (AttendanceNote).
func SetNoteEdit(note string) AttendanceEdit {
	note, err := AttendanceNote(note)
	return AttendanceEdit{refused: err, Change: func(a Attendance) (Attendance, error) {
		a.Note = note
		return a, nil
	}}
}

// AttendanceChange is the change-feed entry of an edit of e's record.
func AttendanceChange(e DayEdit, before, after Attendance) Change {
	return Change{Kind: ChangeAttendance, Date: e.Date, GroupID: e.GroupID, ChildID: e.ChildID,
		Detail: before.Summary() + " → " + after.Summary()}
}

// OnEditableList refuses an edit of a child's record on a closed day (OpenDay)
// or when the child is not on the list of the group that day.
func OnEditableList(e DayEdit, group string, listed, closed bool, closedReason string) error {
	if err := OpenDay(e.Date, closed, closedReason); err != nil {
		return err
	}
	if !listed {
		return fmt.Errorf("child %d is not on the list of %s on %s: %w", e.ChildID, group, e.Date, ErrNotFound)
	}
	return nil
}
