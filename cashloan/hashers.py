"""Password hashing tuned for this service's machines.

Django's Argon2 defaults (100 MiB, 8 lanes) cost about 0.7 s per login on a 2-core server,
which makes login an easy way to exhaust the web workers. OWASP's recommended Argon2id
setting (19 MiB, 2 passes, 1 lane) costs about a tenth of that and is still memory-hard.
Hashes made with other parameters are upgraded at the user's next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # same stored format: existing hashes verify and are upgraded
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
