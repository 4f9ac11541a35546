DELETE FROM reservations WHERE generation_id = :#id AND charged IS NOT NULL
