import RpmsgDoctorCore
print(try Discovery.snapshot())
