package data_test

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

// The rules of children, contracts, accounts, signing in, settings and
// photo consent, tested without a store.

var (
	careTimes = data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	march2    = data.NewDate(2026, time.March, 2)
)

func careDays(wds ...time.Weekday) []data.ContractDay {
	out := make([]data.ContractDay, len(wds))
	for i, wd := range wds {
		out[i] = data.ContractDay{Weekday: wd, Times: careTimes}
	}
	return out
}

// refusedWith checks that err is the refusal code (none when code is "").
func TestValidateChild_M1_M3_NameBirthDateNumberContacts(t *testing.T) {
	today := data.NewDate(2026, time.November, 25)
	zoe := data.Child{FirstName: "Zoë", LastName: "Dvořák", BirthDate: data.NewDate(2024, time.January, 31), Number: "K-1001",
		Contacts: []data.Contact{{Name: "Eva Dvořák", Phone: "06-12345678"}}}
	for _, tc := range []struct {
		name   string
		change func(c *data.Child)
		code   string
	}{
		{"complete", func(*data.Child) {}, ""},
		{"born today", func(c *data.Child) { c.BirthDate = today }, ""},
		{"born tomorrow", func(c *data.Child) { c.BirthDate = today.AddDays(1) }, data.RefuseChildBornLater},
		{"no first name", func(c *data.Child) { c.FirstName = " " }, data.RefuseChildNoName},
		{"no last name", func(c *data.Child) { c.LastName = "" }, data.RefuseChildNoName},
		{"no birth date", func(c *data.Child) { c.BirthDate = data.Date{} }, data.RefuseChildNoBirthDate},
		{"no number", func(c *data.Child) { c.Number = "" }, ""},
		{"a space after the number", func(c *data.Child) { c.Number = "K-1001 " }, data.RefuseChildNumberSpaces},
		{"a contact without name", func(c *data.Child) { c.Contacts = append(c.Contacts, data.Contact{Phone: "112"}) }, data.RefuseChildContactNoName},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := zoe
			c.Contacts = append([]data.Contact(nil), zoe.Contacts...)
			tc.change(&c)
			refusedWith(t, data.ValidateChild(c, today), tc.code)
		})
	}
	err := data.ValidateChild(data.Child{FirstName: "Zoë", LastName: "Dvořák", BirthDate: today.AddDays(1)}, today)
	if got, want := err.Error(), "The birth date of Zoë Dvořák, 2026-11-26, is after today."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestValidatePicture_M3_PNGOrJPEGUpToTheLimit(t *testing.T) {
	var pngPic, jpegPic bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	if err := png.Encode(&pngPic, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegPic, img, nil); err != nil {
		t.Fatal(err)
	}
	// A PNG padded to exactly the limit still decodes: the padding follows its end.
	padded := func(n int) []byte { return append(bytes.Clone(pngPic.Bytes()), make([]byte, n-pngPic.Len())...) }
	for _, tc := range []struct {
		name string
		img  []byte
		code string
	}{
		{"PNG", pngPic.Bytes(), ""},
		{"JPEG", jpegPic.Bytes(), ""},
		{"exactly the limit", padded(data.MaxPictureBytes), ""},
		{"one byte over the limit", padded(data.MaxPictureBytes + 1), data.RefuseChildPictureTooBig},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00"), data.RefuseChildPictureFormat},
		{"a text file named .png", []byte("not a picture"), data.RefuseChildPictureFormat},
	} {
		t.Run(tc.name, func(t *testing.T) { refusedWith(t, data.ValidatePicture(tc.img), tc.code) })
	}
	err := data.ValidatePicture(padded(3 << 20))
	if got, want := err.Error(), "The picture is 3072 kB; at most 2048 kB fits. Choose a smaller picture."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestValidateContract_M2_ProductFitsGroupAndShape(t *testing.T) {
	kdv := data.Group{ID: 1, Name: "Egeltjes", Care: data.KDV}
	bso := data.Group{ID: 2, Name: "Uilen", Care: data.BSO}
	care := func(p data.Product, g data.ID) data.Contract {
		return data.Contract{ChildID: 1, GroupID: g, Product: p, Start: march2, Days: careDays(time.Monday)}
	}
	for _, tc := range []struct {
		name string
		c    data.Contract
		g    data.Group
		code string
	}{
		{"daycare in a KDV group", care(data.ProductKDV, 1), kdv, ""},
		{"school weeks in a BSO group", care(data.ProductBSOSchoolWeeks, 2), bso, ""},
		{"52 weeks in a BSO group", care(data.ProductBSO52Weeks, 2), bso, ""},
		{"Qflexibel hours in a KDV group", data.Contract{GroupID: 1, Product: data.ProductQflexibel, Start: march2, CreditHours: 40}, kdv, ""},
		{"holiday days in a BSO group", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: march2, CreditDays: 10}, bso, ""},
		{"ends on the day it starts", func() data.Contract { c := care(data.ProductKDV, 1); c.End = march2; return c }(), kdv, ""},
		{"daycare in a BSO group", care(data.ProductKDV, 2), bso, data.RefuseContractCare},
		{"school weeks in a KDV group", care(data.ProductBSOSchoolWeeks, 1), kdv, data.RefuseContractCare},
		{"Qflexibel in a BSO group", data.Contract{GroupID: 2, Product: data.ProductQflexibel, Start: march2, CreditHours: 40}, bso, data.RefuseContractCare},
		{"unknown product", care("peuterspeelzaal", 1), kdv, data.RefuseContractProduct},
		{"no start", func() data.Contract { c := care(data.ProductKDV, 1); c.Start = data.Date{}; return c }(), kdv, data.RefuseContractNoStart},
		{"ends the day before it starts", func() data.Contract { c := care(data.ProductKDV, 1); c.End = march2.AddDays(-1); return c }(), kdv, data.RefuseContractEndsEarly},
		{"no weekday", data.Contract{GroupID: 1, Product: data.ProductKDV, Start: march2}, kdv, data.RefuseContractNoWeekday},
		{"a weekday twice", func() data.Contract {
			c := care(data.ProductKDV, 1)
			c.Days = append(c.Days, c.Days[0])
			return c
		}(), kdv, data.RefuseContractWeekdayTwice},
		{"care ends before it starts", func() data.Contract {
			c := care(data.ProductKDV, 1)
			c.Days[0].Times = data.TimeRange{From: data.NewClock(18, 0), Until: data.NewClock(7, 30)}
			return c
		}(), kdv, data.RefuseContractTimes},
		{"care ends when it starts", func() data.Contract {
			c := care(data.ProductKDV, 1)
			c.Days[0].Times = data.TimeRange{From: data.NewClock(9, 0), Until: data.NewClock(9, 0)}
			return c
		}(), kdv, data.RefuseContractTimes},
		{"times on a credit product", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: march2, CreditDays: 10, Days: careDays(time.Monday)}, bso, data.RefuseContractCreditNoDays},
		{"holiday contract without days", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: march2}, bso, data.RefuseContractHolidayDays},
		{"holiday contract with hours", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: march2, CreditDays: 10, CreditHours: 5}, bso, data.RefuseContractHolidayDays},
		{"Qflexibel with holiday days", data.Contract{GroupID: 1, Product: data.ProductQflexibel, Start: march2, CreditHours: 40, CreditDays: 2}, kdv, data.RefuseContractFlexHours},
		{"negative Qflexibel hours", data.Contract{GroupID: 1, Product: data.ProductQflexibel, Start: march2, CreditHours: -4}, kdv, data.RefuseContractNegative},
		{"credit on a care product", func() data.Contract { c := care(data.ProductKDV, 1); c.CreditHours = 10; return c }(), kdv, data.RefuseContractDaysNoCredit},
	} {
		t.Run(tc.name, func(t *testing.T) { refusedWith(t, data.ValidateContract(tc.c, tc.g), tc.code) })
	}
	if err := data.ValidateContract(care(data.ProductKDV, 1), data.Group{ID: 3, Care: data.KDV}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("checked against another group: %v, want ErrInvalid", err)
	}
}

func TestContractsOverlap_M2(t *testing.T) {
	mar, apr, may := march2, data.NewDate(2026, time.April, 1), data.NewDate(2026, time.May, 1)
	kdv := func(from, to data.Date, wds ...time.Weekday) data.Contract {
		return data.Contract{ChildID: 1, Product: data.ProductKDV, Start: from, End: to, Days: careDays(wds...)}
	}
	credit := func(p data.Product, from, to data.Date) data.Contract {
		return data.Contract{ChildID: 1, Product: p, Start: from, End: to}
	}
	for _, tc := range []struct {
		name string
		a, b data.Contract
		want bool
	}{
		{"same weekday, open ends", kdv(mar, data.Date{}, time.Monday), kdv(apr, data.Date{}, time.Monday, time.Friday), true},
		{"same weekday, one ends the day before the other starts", kdv(mar, apr.AddDays(-1), time.Monday), kdv(apr, data.Date{}, time.Monday), false},
		{"same weekday, ends on the day the other starts", kdv(mar, apr, time.Monday), kdv(apr, data.Date{}, time.Monday), true},
		{"other weekdays", kdv(mar, data.Date{}, time.Monday), kdv(mar, data.Date{}, time.Tuesday), false},
		{"another child", kdv(mar, data.Date{}, time.Monday), func() data.Contract { c := kdv(mar, data.Date{}, time.Monday); c.ChildID = 2; return c }(), false},
		{"daycare beside Qflexibel", kdv(mar, data.Date{}, time.Monday), credit(data.ProductQflexibel, mar, data.Date{}), false},
		{"two Qflexibel contracts", credit(data.ProductQflexibel, mar, may), credit(data.ProductQflexibel, apr, data.Date{}), true},
		{"two Qflexibel contracts one after the other", credit(data.ProductQflexibel, mar, apr.AddDays(-1)), credit(data.ProductQflexibel, apr, data.Date{}), false},
		{"holiday contract beside 52 weeks", credit(data.ProductBSOHoliday, mar, may), data.Contract{ChildID: 1, Product: data.ProductBSO52Weeks, Start: apr, Days: careDays(time.Monday)}, true},
		{"holiday contract beside school weeks", credit(data.ProductBSOHoliday, mar, may), data.Contract{ChildID: 1, Product: data.ProductBSOSchoolWeeks, Start: apr, Days: careDays(time.Monday)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := data.ContractsOverlap(tc.a, tc.b); got != tc.want {
				t.Errorf("ContractsOverlap(a, b) = %v, want %v", got, tc.want)
			}
			if got := data.ContractsOverlap(tc.b, tc.a); got != tc.want {
				t.Errorf("ContractsOverlap(b, a) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckContract_M2_LocationAndTheChildsOtherContracts(t *testing.T) {
	zoe := data.Child{ID: 1, LocationID: 1, FirstName: "Zoë", LastName: "Dvořák"}
	egeltjes := data.Group{ID: 1, LocationID: 1, Name: "Egeltjes", Care: data.KDV}
	elsewhere := data.Group{ID: 4, LocationID: 2, Name: "Notenkrakers", Care: data.KDV}
	monday := data.Contract{ID: 7, ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: march2, Days: careDays(time.Monday)}
	next := data.Contract{ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: march2.AddDays(28), Days: careDays(time.Monday, time.Tuesday)}
	for _, tc := range []struct {
		name      string
		c         data.Contract
		g         data.Group
		others    []data.Contract
		replacing data.ID
		code      string
	}{
		{"the first contract", next, egeltjes, nil, 0, ""},
		{"beside one on other weekdays", func() data.Contract { c := next; c.Days = careDays(time.Friday); return c }(), egeltjes, []data.Contract{monday}, 0, ""},
		{"on a weekday the child has already", next, egeltjes, []data.Contract{monday}, 0, data.RefuseContractOverlap},
		{"a new version of that contract", next, egeltjes, []data.Contract{monday}, monday.ID, ""},
		{"that contract itself, changed", func() data.Contract { c := next; c.ID = monday.ID; return c }(), egeltjes, []data.Contract{monday}, 0, ""},
		{"in a group at another location", func() data.Contract { c := next; c.GroupID = elsewhere.ID; return c }(), elsewhere, nil, 0, data.RefuseContractOtherPlace},
		{"not fitting its group", func() data.Contract { c := next; c.Days = nil; return c }(), egeltjes, nil, 0, data.RefuseContractNoWeekday},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refusedWith(t, data.CheckContract(tc.c, zoe, tc.g, tc.others, tc.replacing), tc.code)
		})
	}
	var r *data.Refusal
	if err := data.CheckContract(next, zoe, egeltjes, []data.Contract{monday}, 0); !errors.As(err, &r) ||
		r.Args["Name"] != "Zoë Dvořák" || r.Args["Date"] != march2 || r.Args["Product"] != data.ProductKDV {
		t.Errorf("the overlap names %v, want Zoë, the other contract's start and product", err)
	}
}

// TestActorCan_RoleCheck_RoleAndScope: what a role may do, and where: staff
// only in their own groups, managers and office only at their locations.
func TestActorCan_RoleCheck_RoleAndScope(t *testing.T) {
	group1 := data.Group{ID: 1, LocationID: 1, Name: "Egeltjes"}
	group2 := data.Group{ID: 2, LocationID: 1, Name: "Vosjes"}
	group3 := data.Group{ID: 3, LocationID: 1, Name: "Uilen"}
	otherLoc := data.Group{ID: 9, LocationID: 2, Name: "Notenkrakers"}
	staff12 := data.Actor{Name: "Tess", Role: data.RoleStaff, Groups: []data.ID{1, 2}}
	manager := data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1}}
	office := data.Actor{Name: "Priya", Role: data.RoleOffice, Locations: []data.ID{1}}
	for _, tc := range []struct {
		name   string
		actor  data.Actor
		action data.Action
		group  data.Group
		loc    data.ID
		code   string
	}{
		{"staff check in in group 1", staff12, data.ActAttendance, group1, 0, ""},
		{"staff approve in group 2", staff12, data.ActApprove, group2, 0, ""},
		{"staff of groups 1 and 2 may not write group 3", staff12, data.ActAttendance, group3, 0, data.RefuseOtherGroups},
		{"staff of groups 1 and 2 may not approve for group 3", staff12, data.ActApprove, group3, 0, data.RefuseOtherGroups},
		{"staff act on a group, not a whole location", staff12, data.ActRequest, data.Group{}, 1, data.RefuseOtherGroups},
		{"staff may not export", staff12, data.ActExport, data.Group{}, 1, data.RefuseRoleMayNot},
		{"staff may not edit contracts, even in their group", staff12, data.ActContracts, group1, 0, data.RefuseRoleMayNot},
		{"staff may not manage accounts", staff12, data.ActAdmin, data.Group{}, 1, data.RefuseRoleMayNot},
		{"manager approves in any group of the location", manager, data.ActApprove, group3, 0, ""},
		{"manager manages accounts", manager, data.ActAdmin, data.Group{}, 1, ""},
		{"manager not at another location", manager, data.ActAttendance, otherLoc, 0, data.RefuseOtherLocation},
		{"the group's location counts, not the one given", manager, data.ActAttendance, otherLoc, 1, data.RefuseOtherLocation},
		{"office exports for its locations", office, data.ActExport, data.Group{}, 1, ""},
		{"office not for other locations", office, data.ActExport, data.Group{}, 2, data.RefuseOtherLocation},
		{"office does not do attendance", office, data.ActAttendance, group1, 0, data.RefuseRoleMayNot},
		{"office registers requests for parents", office, data.ActRequest, group1, 0, ""},
		{"office may not approve", office, data.ActApprove, group1, 0, data.RefuseRoleMayNot},
		{"an unknown role may nothing", data.Actor{Role: "parent", Locations: []data.ID{1}}, data.ActRequest, group1, 0, data.RefuseRoleMayNot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.actor.Can(tc.action, tc.loc, tc.group)
			refusedWith(t, err, tc.code)
			if tc.code != "" && !errors.Is(err, data.ErrForbidden) {
				t.Errorf("%v is not ErrForbidden", err)
			}
		})
	}
	for role, may := range map[data.Role][]data.Action{
		data.RoleStaff:  {data.ActAttendance, data.ActRequest, data.ActApprove},
		data.RoleOffice: {data.ActRequest, data.ActContracts, data.ActCalendar, data.ActExport, data.ActConsent},
	} {
		for _, action := range []data.Action{data.ActAttendance, data.ActRequest, data.ActApprove, data.ActContracts,
			data.ActCalendar, data.ActExport, data.ActConsent, data.ActAdmin} {
			want := strings.Contains(","+joinActions(may)+",", ","+string(action)+",")
			if got := data.RoleMay(role, action); got != want {
				t.Errorf("RoleMay(%s, %s) = %v, want %v", role, action, got, want)
			}
			if err := (data.Actor{Role: role}).MayDo(action); (err == nil) != want {
				t.Errorf("MayDo(%s, %s) = %v, want allowed=%v", role, action, err, want)
			}
		}
	}
}

func joinActions(actions []data.Action) string {
	s := make([]string, len(actions))
	for i, a := range actions {
		s[i] = string(a)
	}
	return strings.Join(s, ",")
}

func TestValidateSecret_PINOrPassword(t *testing.T) {
	for secret, ok := range map[string]bool{
		"1234": true, "123456": true, "123": false, "1234567": false, "12a4": false,
		"abcdefg": false, "abcdefgh": true, "long enough": true, "ëëëëëëëë": true, "": false,
	} {
		err := data.ValidateSecret(secret)
		if ok {
			refusedWith(t, err, "")
		} else {
			refusedWith(t, err, data.RefuseSecret)
		}
	}
}

// TestSignIn_WrongPINsLockOut counts wrong attempts as the settings say: the
// last one allowed is still only wrong, the next locks until the lock-out
// ends, and a right one clears the count.
func TestSignIn_WrongPINsLockOut(t *testing.T) {
	s := data.DefaultSettings()
	s.SignInAttempts, s.LockoutMinutes = 3, 5
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	tess := data.User{ID: 2, Name: "Tess"}

	u, err := tess.AfterSignIn(false, now, s)
	refusedWith(t, err, data.RefuseWrongSecret)
	u, err = u.AfterSignIn(false, now, s)
	refusedWith(t, err, data.RefuseWrongSecret)
	if !errors.Is(err, data.ErrWrongSecret) || u.FailedAttempts != 2 || !u.LockedUntil.IsZero() {
		t.Fatalf("after two of three: %+v, %v", u, err)
	}
	if right, err := u.AfterSignIn(true, now, s); err != nil || right.FailedAttempts != 0 {
		t.Errorf("a right PIN after two wrong ones: %+v, %v; want the count cleared", right, err)
	}
	u, err = u.AfterSignIn(false, now, s)
	refusedWith(t, err, data.RefuseLockedOut)
	until := now.Add(5 * time.Minute)
	if !errors.Is(err, data.ErrLockedOut) || !u.LockedUntil.Equal(until) || u.FailedAttempts != 0 {
		t.Fatalf("the third wrong PIN: %+v, %v; want locked until %s with the count restarted", u, err, until)
	}
	if got, want := err.Error(), "Too many wrong attempts. Try again after 09:05, or ask a colleague to sign in."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	refusedWith(t, u.MaySignIn(now), data.RefuseLockedOut)
	refusedWith(t, u.MaySignIn(until.Add(-time.Second)), data.RefuseLockedOut)
	refusedWith(t, u.MaySignIn(until), "")

	gone := data.User{Name: "Joost", DeactivatedOn: data.NewDate(2026, time.October, 1)}
	err = gone.MaySignIn(now)
	refusedWith(t, err, data.RefuseDeactivated)
	if !errors.Is(err, data.ErrDeactivated) {
		t.Errorf("%v is not ErrDeactivated", err)
	}
}

func TestCheckManagerLeft_M1_LastActiveManagerStays(t *testing.T) {
	manager := data.User{ID: 1, Name: "Marieke", Role: data.RoleManager}
	other := data.User{ID: 2, Name: "Jan", Role: data.RoleManager}
	staff := data.User{ID: 3, Name: "Tess", Role: data.RoleStaff}
	gone := other
	gone.DeactivatedOn = data.NewDate(2026, time.October, 1)
	demoted := manager
	demoted.Role = data.RoleOffice
	for _, tc := range []struct {
		name  string
		users []data.User
		code  string
	}{
		{"one manager", []data.User{manager, staff}, ""},
		{"two managers, one deactivated", []data.User{manager, gone}, ""},
		{"the only manager given another role", []data.User{demoted, staff}, data.RefuseLastManager},
		{"the only active manager given another role", []data.User{demoted, gone}, data.RefuseLastManager},
		{"another manager left", []data.User{demoted, other}, ""},
		{"nobody", nil, data.RefuseLastManager},
	} {
		t.Run(tc.name, func(t *testing.T) { refusedWith(t, data.CheckManagerLeft(tc.users), tc.code) })
	}
}

func TestUserValidate_M1_NameRoleAndWhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		u    data.User
		code string
	}{
		{"staff with a group", data.User{Name: "Tess", Role: data.RoleStaff, GroupIDs: []data.ID{1}}, ""},
		{"office with a location", data.User{Name: "Priya", Role: data.RoleOffice, LocationIDs: []data.ID{1}}, ""},
		{"no name", data.User{Name: " ", Role: data.RoleStaff, GroupIDs: []data.ID{1}}, data.RefuseNoPersonName},
		{"staff without group", data.User{Name: "Tess", Role: data.RoleStaff}, data.RefuseStaffWithoutGroup},
		{"manager without location", data.User{Name: "Marieke", Role: data.RoleManager}, data.RefuseNoLocation},
		{"unknown role", data.User{Name: "Ouder", Role: "parent", LocationIDs: []data.ID{1}}, data.RefuseUnknownRole},
	} {
		t.Run(tc.name, func(t *testing.T) { refusedWith(t, tc.u.Validate(), tc.code) })
	}
}

// TestSettingsValidate_R1_T1_Limits: every number at its bounds is kept,
// one past them refused, and the parents' window runs downwards.
func TestSettingsValidate_R1_T1_Limits(t *testing.T) {
	if err := data.DefaultSettings().Validate(); err != nil {
		t.Fatalf("the published defaults: %v", err)
	}
	for _, l := range data.SettingLimits {
		for _, tc := range []struct {
			value float64
			ok    bool
		}{{l.Min, true}, {l.Max, true}, {l.Min - 1, false}, {l.Max + 1, false}} {
			s := withSetting(t, l.Setting, tc.value)
			err := s.Validate()
			var se *data.SettingError
			switch {
			case tc.ok && err != nil:
				t.Errorf("%s = %v refused: %v", l.Setting, tc.value, err)
			case !tc.ok && (!errors.As(err, &se) || se.Setting != l.Setting || se.Problem != data.ProblemRange || se.Min != l.Min || se.Max != l.Max):
				t.Errorf("%s = %v: got %v, want a range refusal %v to %v", l.Setting, tc.value, err, l.Min, l.Max)
			}
		}
	}
	s := data.DefaultSettings()
	s.ParentRequestFromDays, s.ParentRequestUntilDays = 4, 4
	var se *data.SettingError
	if err := s.Validate(); !errors.As(err, &se) || se.Problem != data.ProblemWindow {
		t.Errorf("a window from 4 until 4 days: %v, want ProblemWindow", err)
	}
	s.ParentRequestFromDays = 5
	if err := s.Validate(); err != nil {
		t.Errorf("a window from 5 until 4 days: %v", err)
	}
	s.HolidayDay = data.TimeRange{From: data.NewClock(9, 0), Until: data.NewClock(9, 0)}
	if err := s.Validate(); !errors.As(err, &se) || se.Problem != data.ProblemHours {
		t.Errorf("a holiday day ending when it starts: %v, want ProblemHours", err)
	}
}

// withSetting is the defaults with one number set; the window's two ends
// move together so that only the setting under test can be wrong.
func withSetting(t *testing.T, name string, v float64) data.Settings {
	t.Helper()
	s := data.DefaultSettings()
	switch name {
	case "parentRequestFromDays":
		s.ParentRequestFromDays, s.ParentRequestUntilDays = int(v), 0
	case "parentRequestUntilDays":
		s.ParentRequestUntilDays, s.ParentRequestFromDays = int(v), 365
	case "absenceNoticeHours":
		s.AbsenceNoticeHours = int(v)
	case "maxCreditHours":
		s.MaxCreditHours = v
	case "creditExpiryDays":
		s.CreditExpiryDays = int(v)
	case "holidayContractWeeks":
		s.HolidayContractWeeks = int(v)
	case "studyDayMinimum":
		s.StudyDayMinimum = int(v)
	case "backupDays":
		s.BackupDays = int(v)
	case "signInAttempts":
		s.SignInAttempts = int(v)
	case "lockoutMinutes":
		s.LockoutMinutes = int(v)
	case "autoLockMinutes":
		s.AutoLockMinutes = int(v)
	case "retentionMonths":
		s.RetentionMonths = int(v)
	default:
		t.Fatalf("setting %s has no case here", name)
	}
	return s
}

func TestConsentChange_C1_Validate(t *testing.T) {
	today := data.NewDate(2026, time.November, 25)
	ok := data.ConsentChange{ChildID: 1, Level: data.ConsentPortal, Given: today, Source: data.ConsentFromForm, RecordedBy: "Marieke"}
	for _, tc := range []struct {
		name   string
		change func(c *data.ConsentChange)
		code   string
	}{
		{"answered today", func(*data.ConsentChange) {}, ""},
		{"withdrawn by phone", func(c *data.ConsentChange) { c.Level, c.Source = data.ConsentNone, data.ConsentFromPhone }, ""},
		{"not answered is no answer", func(c *data.ConsentChange) { c.Level = data.ConsentNotAnswered }, data.RefuseConsentLevel},
		{"a paper quitclaim", func(c *data.ConsentChange) { c.Source = "quitclaim" }, data.RefuseConsentSource},
		{"nobody records it", func(c *data.ConsentChange) { c.RecordedBy = " " }, data.RefuseConsentNoRecorder},
		{"no day", func(c *data.ConsentChange) { c.Given = data.Date{} }, data.RefuseConsentNoDate},
		{"answered tomorrow", func(c *data.ConsentChange) { c.Given = today.AddDays(1) }, data.RefuseConsentLater},
		{"a note of the longest length, in letters with accents", func(c *data.ConsentChange) { c.Note = strings.Repeat("ë", data.MaxConsentNote) }, ""},
		{"a note one character too long", func(c *data.ConsentChange) { c.Note = strings.Repeat("e", data.MaxConsentNote+1) }, data.RefuseConsentNoteLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			refusedWith(t, c.Validate(today), tc.code)
		})
	}
}

func TestPlanMove_M2_NewVersionsFromTheDayOrTheirStart(t *testing.T) {
	zoe := data.Child{ID: 1, FirstName: "Zoë", LastName: "Dvořák"}
	vosjes := data.Group{ID: 3, Name: "Vosjes"}
	from := march2.AddDays(14)
	running := data.Contract{ID: 1, ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: march2}
	startsOnTheDay := data.Contract{ID: 2, ChildID: 1, GroupID: 1, Product: data.ProductQflexibel, Start: from}
	toCome := data.Contract{ID: 3, ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: from.AddDays(30)}
	there := data.Contract{ID: 4, ChildID: 1, GroupID: vosjes.ID, Product: data.ProductKDV, Start: march2}

	moves, err := data.PlanMove(zoe, []data.Contract{running, startsOnTheDay, toCome, there}, vosjes, from)
	if err != nil {
		t.Fatal(err)
	}
	want := []data.ContractMove{{Contract: running, From: from}, {Contract: startsOnTheDay, From: from}, {Contract: toCome, From: toCome.Start}}
	if len(moves) != len(want) {
		t.Fatalf("moves %+v, want %+v", moves, want)
	}
	for i := range want {
		if moves[i].Contract.ID != want[i].Contract.ID || moves[i].From != want[i].From {
			t.Errorf("move %d = contract %d from %s, want contract %d from %s", i, moves[i].Contract.ID, moves[i].From, want[i].Contract.ID, want[i].From)
		}
	}
	_, err = data.PlanMove(zoe, []data.Contract{there}, vosjes, from)
	refusedWith(t, err, data.RefuseChildInGroupAlready)
	_, err = data.PlanMove(zoe, nil, vosjes, from)
	refusedWith(t, err, data.RefuseChildNothingToMove)
}

func TestPlanEndCare_M2_RunningEndStillToComeRemoved(t *testing.T) {
	zoe := data.Child{ID: 1, FirstName: "Zoë", LastName: "Dvořák"}
	last := march2.AddDays(30)
	running := data.Contract{ID: 1, ChildID: 1, Start: march2}
	startsOnTheLastDay := data.Contract{ID: 2, ChildID: 1, Start: last}
	startsTheDayAfter := data.Contract{ID: 3, ChildID: 1, Start: last.AddDays(1)}
	ended, removed, err := data.PlanEndCare(zoe, []data.Contract{running, startsOnTheLastDay, startsTheDayAfter}, last)
	if err != nil {
		t.Fatal(err)
	}
	if len(ended) != 2 || ended[0].ID != 1 || ended[1].ID != 2 || ended[0].End != last || ended[1].End != last {
		t.Errorf("ended %+v, want contracts 1 and 2 ending on %s", ended, last)
	}
	if len(removed) != 1 || removed[0].ID != 3 {
		t.Errorf("removed %+v, want contract 3, which never ran a day", removed)
	}
	_, _, err = data.PlanEndCare(zoe, nil, last)
	refusedWith(t, err, data.RefuseChildNothingToEnd)
}

// TestActorMayManage_RoleCheck_OnlyAccountsOfTheirLocations: a manager of
// location 1 keeps accounts there, not one that also works at location 2.
func TestActorMayManage_RoleCheck_OnlyAccountsOfTheirLocations(t *testing.T) {
	marieke := data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1}}
	tess := data.User{Name: "Tess", Role: data.RoleStaff}
	refusedWith(t, marieke.MayManage(tess, []data.ID{1, 1}), "")
	refusedWith(t, marieke.MayManage(tess, nil), "")
	err := marieke.MayManage(tess, []data.ID{1, 2})
	refusedWith(t, err, data.RefuseOutsideYourScope)
	if !errors.Is(err, data.ErrForbidden) {
		t.Errorf("%v is not ErrForbidden", err)
	}
}

func TestActorMayReadAt_RoleCheck_OwnLocationsOnly(t *testing.T) {
	manager := data.Actor{Role: data.RoleManager, Locations: []data.ID{1}}
	office := data.Actor{Role: data.RoleOffice, Locations: []data.ID{1, 2}}
	staff := data.Actor{Role: data.RoleStaff, Groups: []data.ID{7}}
	tests := []struct {
		name           string
		a              data.Actor
		location       data.ID
		groupLocations []data.ID
		want           string
	}{
		{"manager at their location", manager, 1, nil, ""},
		{"manager elsewhere", manager, 2, nil, data.RefuseOtherLocation},
		{"office at either location", office, 2, nil, ""},
		{"staff at their groups' location", staff, 1, []data.ID{1}, ""},
		{"staff elsewhere", staff, 2, []data.ID{1}, data.RefuseOtherLocation},
		{"a manager's group locations do not widen them", manager, 2, []data.ID{2}, data.RefuseOtherLocation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refusedWith(t, tt.a.MayReadAt(tt.location, tt.groupLocations), tt.want)
		})
	}
}
