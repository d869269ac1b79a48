package data

import "encoding/json"

// unlockJSON is an Unlock as it travels between a hub and its devices; the
// hub accepts back only the unlocks it handed out to that session.
type unlockJSON struct {
	Date Date   `json:"date"`
	By   string `json:"by"`
}

// MarshalJSON lets a hub hand an unlock to a device.
func (u *Unlock) MarshalJSON() ([]byte, error) {
	return json.Marshal(unlockJSON{u.date, u.by})
}

// UnmarshalJSON lets a device carry the hub's unlock back with its edits.
func (u *Unlock) UnmarshalJSON(b []byte) error {
	var j unlockJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	u.date, u.by = j.Date, j.By
	return nil
}
