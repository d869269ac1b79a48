package storetest

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

// system is who writes through the unsigned handle, as the log names it.
var system = data.Actor{Name: data.SystemName}

func devices(t *testing.T, newStore Factory) {
	devicesOfLocations(t, newStore)
	run(t, "Devices_OnlyAManagerMakesCodesAndSeesDevices", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		var code data.PairingCode
		e := f.written(f.manager, data.AuditCreatePairingCode, func() error {
			var err error
			code, err = f.as(f.manager).CreatePairingCode(ctx, "Rupsjes tablet")
			return err
		})
		if _, err := data.NormalizePairingCode(code.Code); err != nil || code.DeviceName != "Rupsjes tablet" ||
			code.CreatedBy != f.manager.Name || !code.Expires.Equal(start.Add(data.PairingCodeValid)) {
			t.Errorf("the code %+v (%v): want ten characters for Rupsjes tablet by %s, valid until %s", code, err, f.manager.Name, start.Add(data.PairingCodeValid))
		}
		if len(e.Changes) != 1 || e.Changes[0].Kind != data.ChangeDevice {
			t.Errorf("the code's changes %+v, want one of kind device", e.Changes)
		}
		for _, a := range []data.Actor{f.tess, f.office} {
			f.refused(data.ErrForbidden, func() error {
				_, err := f.as(a).CreatePairingCode(ctx, "Eigen tablet")
				return err
			})
			if _, err := f.as(a).Devices(ctx); !errors.Is(err, data.ErrForbidden) {
				t.Errorf("%s lists the devices: %v, want ErrForbidden", a.Name, err)
			}
		}
		// The open codes and pairing itself are the hub's, not a person's.
		if _, err := f.as(f.manager).PendingPairings(ctx); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("the manager reads the open codes: %v, want ErrForbidden", err)
		}
		f.refused(data.ErrForbidden, func() error {
			_, err := f.as(f.manager).PairDevice(ctx, code.ID, "", data.HashCredential("x"))
			return err
		})
	})

	run(t, "Devices_ACodePairsOneDeviceOnce", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		code, err := f.as(f.manager).CreatePairingCode(ctx, "")
		f.must(err, "CreatePairingCode")
		pending, err := f.sys.PendingPairings(ctx)
		f.must(err, "PendingPairings")
		if len(pending) != 1 || pending[0].ID != code.ID || pending[0].Code != code.Code {
			t.Fatalf("open codes %+v, want the one made", pending)
		}
		var d data.Device
		f.written(system, data.AuditPairDevice, func() error {
			d, err = f.sys.PairDevice(ctx, code.ID, "Avonturiers tablet", data.HashCredential("geheim"))
			return err
		})
		if d.ID == 0 || d.Name != "Avonturiers tablet" || d.PairedBy != f.manager.Name || !d.PairedAt.Equal(start) || !d.Active() {
			t.Errorf("paired %+v, want Avonturiers tablet (the name it asked for), paired now by %s", d, f.manager.Name)
		}
		f.refusedCode(data.RefusePairingCodeUsed, func() error {
			_, err := f.sys.PairDevice(ctx, code.ID, "Tweede tablet", data.HashCredential("ander"))
			return err
		})
		if pending, err := f.sys.PendingPairings(ctx); err != nil || len(pending) != 0 {
			t.Errorf("open codes after pairing: %+v, %v; want none", pending, err)
		}
		listed, err := f.as(f.manager).Devices(ctx)
		f.must(err, "Devices")
		if len(listed) != 1 || listed[0].ID != d.ID || listed[0].Name != d.Name {
			t.Errorf("devices %+v, want the one paired", listed)
		}
		// A second device may not take the first one's name.
		f.refusedCode(data.RefuseDeviceNameTaken, func() error {
			_, err := f.as(f.manager).CreatePairingCode(ctx, "avonturiers tablet")
			return err
		})
	})

	run(t, "Devices_AnExpiredCodeIsRefused", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		code, err := f.as(f.manager).CreatePairingCode(ctx, "Rupsjes tablet")
		f.must(err, "CreatePairingCode")
		f.clock.add(data.PairingCodeValid)
		if pending, err := f.sys.PendingPairings(ctx); err != nil || len(pending) != 0 {
			t.Errorf("open codes ten minutes later: %+v, %v; want none", pending, err)
		}
		f.refusedCode(data.RefusePairingCodeExpired, func() error {
			_, err := f.sys.PairDevice(ctx, code.ID, "", data.HashCredential("geheim"))
			return err
		})
	})

	run(t, "Devices_RevokedAtOnceAndSeenQuietly", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		code, err := f.as(f.manager).CreatePairingCode(ctx, "Rupsjes tablet")
		f.must(err, "CreatePairingCode")
		d, err := f.sys.PairDevice(ctx, code.ID, "", data.HashCredential("geheim"))
		f.must(err, "PairDevice")

		// Last seen is bookkeeping: no entry in the log, nothing in the feed.
		rec := f.subscribe(data.FeedLive)
		before := len(f.log())
		seen := start.Add(5 * time.Minute)
		f.must(f.sys.DeviceSeen(ctx, d.ID, seen), "DeviceSeen")
		if after := len(f.log()); after != before {
			t.Errorf("DeviceSeen left %d audit entries, want none", after-before)
		}
		f.must(f.sys.LogPrint(ctx, "conformance marker"), "LogPrint")
		if got := rec.waitFor(t, func(cs []data.Change) bool { return len(cs) > 0 }); len(got) != 1 || got[0].Kind != data.ChangePrint {
			t.Errorf("the feed after DeviceSeen: %+v, want only the marker", got)
		}
		rec.stop()
		if _, err := f.as(f.manager).Device(ctx, d.ID); err != nil {
			t.Fatalf("the manager reads the device: %v", err)
		}
		got, err := f.sys.Device(ctx, d.ID)
		f.must(err, "Device")
		if !got.LastSeen.Equal(seen) {
			t.Errorf("last seen %s, want %s", got.LastSeen, seen)
		}
		if err := f.as(f.manager).DeviceSeen(ctx, d.ID, seen.Add(time.Minute)); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("the manager notes the device seen: %v, want ErrForbidden", err)
		}

		f.refused(data.ErrForbidden, func() error { return f.as(f.tess).RevokeDevice(ctx, d.ID) })
		f.written(f.manager, data.AuditRevokeDevice, func() error { return f.as(f.manager).RevokeDevice(ctx, d.ID) })
		got, err = f.sys.Device(ctx, d.ID)
		f.must(err, "Device")
		if got.Active() || !got.RevokedAt.Equal(start) || got.RevokedBy != f.manager.Name {
			t.Errorf("revoked device %+v, want revoked now by %s", got, f.manager.Name)
		}
		if err := got.CheckCredential("geheim"); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("the revoked device's credential: %v, want ErrForbidden", err)
		}
		f.refusedCode(data.RefuseDeviceRevoked, func() error { return f.as(f.manager).RevokeDevice(ctx, d.ID) })
		// Its name is free for the device that replaces it.
		if _, err := f.as(f.manager).CreatePairingCode(ctx, "Rupsjes tablet"); err != nil {
			t.Errorf("a code for the name of a revoked device: %v", err)
		}
	})
}

// devicesOfLocations: on a hub of several locations, each manager manages
// the devices paired at their own locations.
func devicesOfLocations(t *testing.T, newStore Factory) {
	run(t, "Devices_EachManagerTheirLocationsDevices", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		code, err := f.as(f.manager).CreatePairingCode(ctx, "Rupsjes tablet")
		f.must(err, "CreatePairingCode")
		if len(code.LocationIDs) != 1 || code.LocationIDs[0] != f.vlinder.ID {
			t.Errorf("the code's locations %v, want De Vlinder's, the manager's", code.LocationIDs)
		}
		d, err := f.sys.PairDevice(ctx, code.ID, "", data.HashCredential("geheim"))
		f.must(err, "PairDevice")
		if len(d.LocationIDs) != 1 || d.LocationIDs[0] != f.vlinder.ID {
			t.Errorf("the device's locations %v, want the code's", d.LocationIDs)
		}
		egel := f.as(f.egelManager)
		if listed, err := egel.Devices(ctx); err != nil || len(listed) != 0 {
			t.Errorf("De Egel's manager lists %+v, %v; want none of De Vlinder's", listed, err)
		}
		if _, err := egel.Device(ctx, d.ID); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("De Egel's manager reads De Vlinder's tablet: %v, want ErrForbidden", err)
		}
		f.refused(data.ErrForbidden, func() error { return egel.RevokeDevice(ctx, d.ID) })
		if listed, err := f.as(f.manager).Devices(ctx); err != nil || len(listed) != 1 {
			t.Errorf("De Vlinder's manager lists %+v, %v; want the tablet", listed, err)
		}
		if all, err := f.sys.Devices(ctx); err != nil || len(all) != 1 {
			t.Errorf("the hub lists %+v, %v; want the tablet", all, err)
		}
	})
}

// refusedCode is refused, for a refusal with the given code.
func (f *fixture) refusedCode(code string, write func() error) {
	f.t.Helper()
	var got error
	kind := data.RefusalCatalog()[code].Kind
	if kind == nil {
		kind = data.ErrInvalid
	}
	f.refused(kind, func() error { got = write(); return got })
	var r *data.Refusal
	if !errors.As(got, &r) || r.Code != code {
		f.t.Errorf("refused with %v, want refusal %s", got, code)
	}
}
