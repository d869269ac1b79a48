package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/client"
)

// runPairCode prints a one-time code, valid ten minutes, with which a new
// device pairs (locatiedesk pair, or the tablet's first start). A manager
// makes it: on the hub's computer with --db, from a paired device with
// --server, or on the organisation's database with --store.
func runPairCode(ctx context.Context, args []string, stdout io.Writer) error {
	fs, r := newStoreFlags("pair-code")
	name := fs.String("name", "", "the new device's name, such as the group room it stands in (default: the device names itself)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *r.user == "" {
		return errors.New("pair-code needs --user: the manager who pairs the device, with --password or --pin")
	}
	s, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	code, err := s.CreatePairingCode(ctx, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pairing code %s, valid until %s\n", data.FormatPairingCode(code.Code), code.Expires.Local().Format("15:04"))
	return nil
}

// runPair pairs this computer with the location's hub, using a code a
// manager made, and keeps the device's credential in the device file.
func runPair(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pair", flag.ContinueOnError)
	server := fs.String("server", "", "the location's hub, https://HOST:PORT")
	code := fs.String("code", "", "the pairing code the manager made (locatiedesk pair-code)")
	deviceFile := fs.String("device-file", defaultDeviceFile(), "where this device keeps its credential")
	host, _ := os.Hostname()
	name := fs.String("name", host, "this device's name, used when the manager gave none with the code")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *server == "":
		return errors.New("pair needs --server: the hub's address, https://HOST:PORT")
	case *code == "":
		return errors.New("pair needs --code: the pairing code the manager made")
	case *deviceFile == "":
		return errors.New("pair needs --device-file: this computer has no configuration folder")
	}
	f, err := client.Pair(ctx, *server, *code, *name)
	if err != nil {
		return err
	}
	if err := f.Save(*deviceFile); err != nil {
		return fmt.Errorf("paired, but the device file %s could not be written (%w): ask the manager to unpair device %d and pair again", *deviceFile, err, f.DeviceID)
	}
	fmt.Fprintf(stdout, "paired with %s as device %d, %s\ncertificate fingerprint (SHA-256): %s\ndevice file: %s\n", f.HubName, f.DeviceID, f.DeviceName, f.Fingerprint, *deviceFile)
	return nil
}

// runDevices lists the devices paired with the hub, or unpairs one with
// --revoke (managers).
func runDevices(ctx context.Context, args []string, stdout io.Writer) error {
	fs, r := newStoreFlags("devices")
	revoke := fs.Uint64("revoke", 0, "unpair the device with this number: its next call is refused")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *r.user == "" {
		return errors.New("devices needs --user: a manager, with --password or --pin")
	}
	s, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if *revoke != 0 {
		d, err := s.Device(ctx, data.ID(*revoke))
		if err != nil {
			return err
		}
		if err := s.RevokeDevice(ctx, d.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "device %d (%s) unpaired\n", d.ID, d.Name)
		return nil
	}
	devices, err := s.Devices(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "number\tname\tpaired\tby\tlast seen\tstate")
	for _, d := range devices {
		state := "paired"
		if !d.Active() {
			state = fmt.Sprintf("unpaired %s by %s", when(d.RevokedAt), d.RevokedBy)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Name, when(d.PairedAt), d.PairedBy, when(d.LastSeen), state)
	}
	return w.Flush()
}

// when is a moment as the device list shows it, in local time.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}
