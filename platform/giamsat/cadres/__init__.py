"""The cadre register: heads, key officials, cadres and party members under supervision."""
