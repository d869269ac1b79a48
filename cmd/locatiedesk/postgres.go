package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"locatiedesk/data/pgstore"
)

// runLocationRole makes the database role a hub for some locations
// connects with: row-level security shows it only those locations' rows.
func runLocationRole(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("location-role", flag.ContinueOnError)
	store := storeFlag(fs)
	role := fs.String("role", "", "the database role to make or change, e.g. hub_de_vlinder")
	password := fs.String("password", "", "the role's password (kept as it is when not given)")
	var locations listFlag
	fs.Var(&locations, "location", "a location the role may see; repeat for more")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q: quote names with spaces", fs.Arg(0))
	}
	if *store == "" || *role == "" || len(locations) == 0 {
		return errors.New("location-role needs --store postgres://OWNER@HOST/DATABASE, --role NAME and --location NAME")
	}
	db, err := pgstore.Open(ctx, *store)
	if err != nil {
		return err
	}
	defer db.Close()
	granted, err := db.LocationRole(ctx, *role, *password, locations)
	if err != nil {
		return err
	}
	names := make([]string, len(granted))
	for i, l := range granted {
		names[i] = l.Name
	}
	fmt.Fprintf(stdout, "role %s sees %s only; its hub connects as postgres://%s@…\n", *role, strings.Join(names, ", "), *role)
	return nil
}
