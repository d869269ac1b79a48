package boltstore

import "locatiedesk/data"

// creditKey is an entry's key in its child's ledger: the expiry date first,
// so the ledger reads oldest first and a proposal can skip expired entries
// by seeking to today.
func creditKey(expiresOn data.Date, id data.ID) []byte {
	return append([]byte(expiresOn.String()), idKey(id)...)
}
