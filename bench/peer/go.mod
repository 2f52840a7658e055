module maroonedpods.io/bench/peer

go 1.19
