package data_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestNormalizePairingCode_CaseSpacesAndDashesIgnored(t *testing.T) {
	for _, tc := range []struct {
		typed, want, refused string
	}{
		{"ABCDE-23456", "ABCDE23456", ""},
		{"abcde 23456", "ABCDE23456", ""},
		{" abc-de2 3456 ", "ABCDE23456", ""},
		{"ABCDE-2345", "", data.RefusePairingCodeFormat},   // one short
		{"ABCDE-234567", "", data.RefusePairingCodeFormat}, // one long
		{"ABCDE-2345O", "", data.RefusePairingCodeFormat},  // O reads as 0: not in the alphabet
		{"ABCDE-2345I", "", data.RefusePairingCodeFormat},  // I reads as 1
		{"ABCDE-23450", "", data.RefusePairingCodeFormat},  // 0 reads as O
		{"ÄBCDE-23456", "", data.RefusePairingCodeFormat},  // a letter outside the alphabet
		{"", "", data.RefusePairingCodeFormat},
	} {
		got, err := data.NormalizePairingCode(tc.typed)
		if got != tc.want || refusalCode(err) != tc.refused {
			t.Errorf("NormalizePairingCode(%q) = %q, %v; want %q, refusal %q", tc.typed, got, err, tc.want, tc.refused)
		}
	}
}

func TestNewPairingCodeText_ReadsBackAndVaries(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		code := data.NewPairingCodeText()
		shown := data.FormatPairingCode(code)
		if len(shown) != 11 || shown[5] != '-' {
			t.Fatalf("code %q is shown as %q, want XXXXX-XXXXX", code, shown)
		}
		if back, err := data.NormalizePairingCode(strings.ToLower(shown)); err != nil || back != code {
			t.Fatalf("code %q typed as %q reads back as %q, %v", code, strings.ToLower(shown), back, err)
		}
		if strings.ContainsAny(code, "01OIL") {
			t.Fatalf("code %q has a character that reads like another", code)
		}
		seen[code] = true
	}
	if len(seen) < 199 {
		t.Errorf("200 new codes were only %d different ones", len(seen))
	}
}

func TestPairingCode_UsableOnceWithinTenMinutes(t *testing.T) {
	made := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	open := data.PairingCode{Code: "ABCDE23456", Expires: made.Add(data.PairingCodeValid)}
	used := open
	used.UsedAt = made.Add(time.Minute)
	for _, tc := range []struct {
		name    string
		code    data.PairingCode
		at      time.Time
		refused string
	}{
		{"just made", open, made, ""},
		{"a second before it expires", open, made.Add(10*time.Minute - time.Second), ""},
		{"when it expires", open, made.Add(10 * time.Minute), data.RefusePairingCodeExpired},
		{"an hour later", open, made.Add(time.Hour), data.RefusePairingCodeExpired},
		{"used", used, made.Add(2 * time.Minute), data.RefusePairingCodeUsed},
		{"used and expired", used, made.Add(time.Hour), data.RefusePairingCodeUsed},
	} {
		if err := tc.code.UsableAt(tc.at); refusalCode(err) != tc.refused {
			t.Errorf("%s: %v, want refusal %q", tc.name, err, tc.refused)
		}
	}
	if err := open.UsableAt(made.Add(time.Hour)); !strings.Contains(err.Error(), "09:10") {
		t.Errorf("the expired code's refusal %q does not say when it expired (09:10)", err)
	}
}

func TestPairedDeviceName_TheManagersNameWins(t *testing.T) {
	for _, tc := range []struct {
		onCode, asked, want, refused string
	}{
		{"Rupsjes tablet", "Samsung Tab", "Rupsjes tablet", ""},
		{"", " Samsung Tab ", "Samsung Tab", ""},
		{"  ", "", "", data.RefuseDeviceNoName},
	} {
		got, err := data.PairedDeviceName(data.PairingCode{DeviceName: tc.onCode}, tc.asked)
		if got != tc.want || refusalCode(err) != tc.refused {
			t.Errorf("code %q, asked %q: %q, %v; want %q, refusal %q", tc.onCode, tc.asked, got, err, tc.want, tc.refused)
		}
	}
}

func TestCheckDeviceName_OnlyActiveDevicesHoldTheirName(t *testing.T) {
	devices := []data.Device{{Name: "Rupsjes tablet"}, {Name: "Oude tablet", RevokedAt: time.Now()}}
	for _, tc := range []struct{ name, refused string }{
		{"rupsjes TABLET", data.RefuseDeviceNameTaken},
		{"Oude tablet", ""}, // revoked: its name is free again
		{"Avonturiers tablet", ""},
		{"", ""}, // the device names itself later
	} {
		if err := data.CheckDeviceName(tc.name, devices); refusalCode(err) != tc.refused {
			t.Errorf("%q: %v, want refusal %q", tc.name, err, tc.refused)
		}
	}
}

func TestDeviceCheckCredential_RevokedOrWrongIsRefused(t *testing.T) {
	active := data.Device{Name: "Rupsjes tablet", CredentialHash: data.HashCredential("juist")}
	revoked := active
	revoked.RevokedAt = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		d          data.Device
		credential string
		want       error
	}{
		{"active, right credential", active, "juist", nil},
		{"active, wrong credential", active, "fout", data.ErrWrongCredential},
		{"active, no credential", active, "", data.ErrWrongCredential},
		{"revoked, right credential", revoked, "juist", data.ErrForbidden},
		{"no hash kept", data.Device{Name: "x"}, "", data.ErrWrongCredential},
	} {
		err := tc.d.CheckCredential(tc.credential)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestPairingProof_OnlyTheRightCodeAndCertificateMatch: the proof a device
// sends matches at the hub only with the same code and the certificate the
// device saw; a man in the middle shows the device another certificate.
func TestPairingProof_OnlyTheRightCodeAndCertificateMatch(t *testing.T) {
	const hub, middle = "AB:CD:EF:01", "12:34:56:78"
	proof := data.PairingProof("ABCDE23456", hub)
	for _, tc := range []struct {
		name, code, fingerprint string
		want                    bool
	}{
		{"the hub with the code", "ABCDE23456", hub, true},
		{"fingerprint in lower case", "ABCDE23456", strings.ToLower(hub), true},
		{"another code", "ABCDE23457", hub, false},
		{"another certificate", "ABCDE23456", middle, false},
	} {
		if got := data.ProofMatches(proof, tc.code, tc.fingerprint); got != tc.want {
			t.Errorf("%s: matches %v, want %v", tc.name, got, tc.want)
		}
	}
	if seen := data.PairingProof("ABCDE23456", middle); data.ProofMatches(seen, "ABCDE23456", hub) {
		t.Error("a proof over the middle's certificate matches at the hub")
	}
}

func TestActorMayManageDevice_OnlyTheirLocationsDevices(t *testing.T) {
	vlinder := data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1}}
	both := data.Actor{Name: "Bas", Role: data.RoleManager, Locations: []data.ID{2, 1}}
	egel := data.Actor{Name: "Egbert", Role: data.RoleManager, Locations: []data.ID{2}}
	staff := data.Actor{Name: "Tess", Role: data.RoleStaff, Locations: []data.ID{1}, Groups: []data.ID{1}}
	office := data.Actor{Name: "Priya", Role: data.RoleOffice, Locations: []data.ID{1}}
	ofVlinder := data.Device{Name: "Rupsjes tablet", LocationIDs: []data.ID{1}}
	ofHub := data.Device{Name: "Kantoor"} // paired on the hub's own computer
	for _, tc := range []struct {
		name string
		a    data.Actor
		d    data.Device
		want error
	}{
		{"the manager of its location", vlinder, ofVlinder, nil},
		{"a manager of several locations, its among them", both, ofVlinder, nil},
		{"the manager of another location", egel, ofVlinder, data.ErrForbidden},
		{"any manager, a device of the hub's computer", egel, ofHub, nil},
		{"staff", staff, ofVlinder, data.ErrForbidden},
		{"office", office, ofHub, data.ErrForbidden},
	} {
		err := tc.a.MayManageDevice(tc.d)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestChangeForDevice_OwnLocationsOnlyAndNoNames(t *testing.T) {
	checkIn := data.Change{Seq: 7, Kind: data.ChangeAttendance, GroupID: 3, ChildID: 9, Detail: "in 08:30"}
	added := data.Change{Seq: 8, Kind: data.ChangeCatalog, ChildID: 9, Detail: "child Zoë Bakker added"}
	tests := []struct {
		name          string
		c             data.Change
		locations     []data.ID
		groupLocation data.ID
		wantSent      bool
	}{
		{"a change of the device's location", checkIn, []data.ID{1}, 1, true},
		{"a change of another location's group", checkIn, []data.ID{1}, 2, false},
		{"a device of every location", checkIn, nil, 2, true},
		{"a change of no group", added, []data.ID{1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, sent := tt.c.ForDevice(tt.locations, tt.groupLocation)
			if sent != tt.wantSent {
				t.Fatalf("sent = %v, want %v", sent, tt.wantSent)
			}
			if !sent {
				return
			}
			want := tt.c
			want.Detail = ""
			if got != want {
				t.Errorf("sent %+v, want %+v (the same without its words)", got, want)
			}
		})
	}
}

func TestPairingFromCodeToRevoke(t *testing.T) {
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	manager := &data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1}}
	c := data.NewPairingCode(manager, "  Tablet Rups ", now)
	if c.CreatedBy != "Marieke" || c.DeviceName != "Tablet Rups" || !c.Expires.Equal(now.Add(data.PairingCodeValid)) || len(c.LocationIDs) != 1 {
		t.Fatalf("NewPairingCode = %+v", c)
	}
	manager.Locations[0] = 9
	if c.LocationIDs[0] != 1 {
		t.Error("the code shares its locations with the actor")
	}
	if got := c.Made().Detail; got != "pairing code made for device Tablet Rups" {
		t.Errorf("Made = %q", got)
	}
	if hub := data.NewPairingCode(nil, "", now); hub.CreatedBy != data.SystemName || hub.LocationIDs != nil || hub.Made().Detail != "pairing code made" {
		t.Errorf("a code made on the hub = %+v", hub)
	}

	taken := []data.Device{{Name: "tablet rups", PairedAt: now}}
	if _, _, err := data.PairWith(c, "", []byte("h"), taken, now); refusalCode(err) != data.RefuseDeviceNameTaken {
		t.Errorf("pairing under an active device's name: %v", err)
	}
	if _, _, err := data.PairWith(c, "", []byte("h"), nil, now.Add(data.PairingCodeValid+time.Second)); err == nil {
		t.Error("an expired code paired a device")
	}
	d, paired, err := data.PairWith(c, "asked", []byte("h"), nil, now)
	if err != nil || d.Name != "Tablet Rups" || d.PairedBy != "Marieke" || !d.LastSeen.Equal(now) || !d.Active() ||
		paired.Detail != "device Tablet Rups paired with the code of Marieke" {
		t.Fatalf("PairWith = %+v, %+v, %v", d, paired, err)
	}

	revoked, change, err := d.Revoke(now.Add(time.Hour), "Marieke")
	if err != nil || revoked.Active() || revoked.RevokedBy != "Marieke" || change.Detail != "device Tablet Rups unpaired" {
		t.Errorf("Revoke = %+v, %+v, %v", revoked, change, err)
	}
	if _, _, err := revoked.Revoke(now, "Marieke"); refusalCode(err) != data.RefuseDeviceRevoked {
		t.Errorf("revoking twice: %v", err)
	}

	list := []data.Device{revoked, {Name: "b"}, {Name: "A"}}
	data.SortDevices(list)
	if list[0].Name != "A" || list[1].Name != "b" || list[2].Name != "Tablet Rups" {
		t.Errorf("SortDevices: %v, %v, %v; want the active ones first, by name", list[0].Name, list[1].Name, list[2].Name)
	}
}
