-- A case's submission asks whether it has a verified identification, in whichever call it was made.
create index identification_by_case on identification.identification (case_id, status);
